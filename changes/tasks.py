from __future__ import annotations

import logging

from celery import shared_task

from delivery.effects import effect_task
from documents.enums import PdfStatus

from .models import ChangePdf
from .rendering import change_pdf_bytes
from .services import change_pdf_store

logger = logging.getLogger(__name__)


@shared_task(name="changes.render_pdf", bind=True, max_retries=3, default_retry_delay=30)
@effect_task
def change_pdf_render_task(self, *, pdf_id: int) -> bool:
    """Render and seal the letter's or the reply's PDF. Idempotent: a finished PDF is never redone."""
    pdf = ChangePdf.objects.select_related(
        "change__project__customer",
        "change__project__vendor_pm__profile__organization",
        "change__initiated_by",
        "change__replied_by",
    ).get(pk=pdf_id)
    if pdf.status == PdfStatus.READY:
        return False
    try:
        data = change_pdf_bytes(pdf.change, pdf.document)
    except Exception as exc:
        logger.exception("Rendering the PDF %s of change %s failed", pdf.document, pdf.change_id)
        if self.request.retries >= self.max_retries:
            change_pdf_store(pdf_id=pdf_id, pdf_bytes=None)
            raise  # the effect is marked failed with the error; "retry now" renders again
        raise self.retry(exc=exc) from exc
    return change_pdf_store(pdf_id=pdf_id, pdf_bytes=data)
