"""Files people upload as evidence or attachments: what every such record keeps about them."""

from __future__ import annotations

import hashlib
import mimetypes

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, StreamingHttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

STREAM_CHUNK_BYTES = 64 * 1024


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


def stored_file_response(
    file: FieldFile, *, filename: str, content_type: str | None = None
) -> FileResponse | StreamingHttpResponse:
    """A download of a stored file, for a view that has checked the user may have it.

    Streamed in chunks from wherever the file lives: from the local disk by ``FileResponse``,
    from an object store straight off its response body (no copy on the web machine's disk),
    so no file is ever handed out by a public URL.
    """
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    open_stream = getattr(file.storage, "open_stream", None)
    if open_stream is None:
        return FileResponse(file.open("rb"), as_attachment=True, filename=filename, content_type=content_type)
    chunks, size = open_stream(file.name, STREAM_CHUNK_BYTES)
    response = StreamingHttpResponse(chunks, content_type=content_type)
    response["Content-Length"] = str(size)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
