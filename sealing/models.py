"""The two shapes every signed-and-sealed record shares (SPEC §3).

``SignatureRecord``: one person's signature (who, typed name, when, from where, how checked).
``SealedPdf``: the record's sealed PDF, rendered once after commit by ``sealing.tasks``.
A concrete model names its renderer (``sealed_pdf_renderer``, a dotted path to
``render(record) -> bytes``, in its app's rendering.py) and where its file goes.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import PdfStatus


class SignatureRecord(models.Model):
    """A person's signature on a frozen record; subclasses add the record and the fingerprint signed."""

    signer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    typed_name = models.CharField(_("typed full name"), max_length=100)
    signed_at = models.DateTimeField(_("signed at"))
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    auth_method = models.CharField(_("authentication"), max_length=20, default="password")

    class Meta:
        abstract = True
        ordering = ["signed_at"]


def sealed_pdf_upload_to(record: SealedPdf, filename: str) -> str:
    return record.sealed_pdf_path()


class SealedPdf(models.Model):
    """A record with a sealed PDF: its file, where it is, its SHA-256, and why it failed if it did."""

    pdf_status = models.CharField(_("signed PDF"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE)
    pdf = models.FileField(_("signed PDF file"), upload_to=sealed_pdf_upload_to, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    pdf_error = models.TextField(_("last rendering error"), blank=True)
    pdf_attempts = models.PositiveSmallIntegerField(_("rendering attempts"), default=0)

    # Dotted path of ``render(record) -> bytes`` (the app's rendering.py).
    sealed_pdf_renderer: ClassVar[str] = ""
    # What the renderer reads, loaded with the record in one query.
    sealed_pdf_related: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def sealed_pdf_path(self) -> str:
        """Where the file is stored (the storage never overwrites a sealed file)."""
        raise NotImplementedError

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_status == PdfStatus.READY and bool(self.pdf)
