"""Writes for sealed PDFs: schedule the render-and-seal effect; store the result once."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction

from delivery.effects import effect_record
from delivery.enums import Queue

from .enums import PdfStatus
from .fingerprint import bytes_sha256
from .models import SealedPdf

RENDER_TASK = "sealing.render_sealed_pdf"


def sealed_pdf_effect(record: SealedPdf, *, kind: str) -> None:
    """Record, in the caller's transaction, that ``record``'s sealed PDF is to be made after commit.

    Once per record: the key ``pdf:<kind>:<pk>`` makes a second call change nothing.
    """
    effect_record(
        kind=f"pdf.{kind}",
        key=f"pdf:{kind}:{record.pk}",
        task=RENDER_TASK,
        kwargs={"model": record._meta.label_lower, "pk": record.pk},
        queue=Queue.PDF,
    )


def sealed_pdf_store(
    *, model: type[SealedPdf], pk: int, pdf_bytes: bytes | None, error: str = "", final: bool = True
) -> bool:
    """Store a rendered PDF once, or the attempt's error; a second run finds it done and changes nothing.

    Every attempt counts; ``final`` marks the PDF failed (the effect's "retry now" renders again).
    Returns whether a file was stored.
    """
    with transaction.atomic():
        record = model.objects.select_for_update().get(pk=pk)
        if record.pdf_status == PdfStatus.READY:
            return False
        record.pdf_attempts += 1
        fields = ["pdf_status", "pdf_attempts", "pdf_error"]
        if pdf_bytes is None:
            record.pdf_error = error[:2000]
            if final:
                record.pdf_status = PdfStatus.FAILED
        else:
            record.pdf.save(record.sealed_pdf_path().rsplit("/", 1)[-1], ContentFile(pdf_bytes), save=False)
            record.pdf_sha256 = bytes_sha256(pdf_bytes)
            record.pdf_status = PdfStatus.READY
            record.pdf_error = ""
            fields += ["pdf", "pdf_sha256"]
        if any(f.name == "updated_at" for f in model._meta.concrete_fields):
            fields.append("updated_at")
        record.save(update_fields=fields)
    return pdf_bytes is not None
