"""Files people upload as evidence or attachments: what every such record keeps about them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.utils.translation import gettext_lazy as _


def file_sha256(file: UploadedFile) -> str:
    """The file's fingerprint, read in chunks; the file is rewound for saving afterwards."""
    digest = hashlib.sha256()
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


class AttachedFile(models.Model):
    """An uploaded file with its name, size and fingerprint. Subclasses add the owner and a
    ``file = models.FileField(upload_to=...)`` naming where it is stored."""

    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def described(file: UploadedFile) -> dict:
        """The fields that describe ``file``, for ``objects.create(file=file, **described(file))``."""
        return {"name": file.name[:200], "size": file.size, "sha256": file_sha256(file)}
