from __future__ import annotations

import logging

from celery import shared_task

from delivery.effects import effect_task

from .enums import PdfStatus
from .models import DeliverableVersion
from .rendering import version_pdf_bytes
from .services import version_mark_pdf

logger = logging.getLogger(__name__)


@shared_task(name="documents.render_signed_pdf", bind=True, max_retries=3, default_retry_delay=30)
@effect_task
def version_pdf_render_task(self, *, version_id: int) -> bool:
    """Render and sign a confirmed version's PDF. Idempotent: a finished PDF is never redone."""
    version = DeliverableVersion.objects.select_related(
        "deliverable__project__customer",
        "deliverable__project__vendor_pm__profile__organization",
        "deliverable__type",
        "author",
    ).get(pk=version_id)
    if version.pdf_status == PdfStatus.READY:
        return False
    try:
        pdf = version_pdf_bytes(version)
    except Exception as exc:
        logger.exception("Rendering the signed PDF of version %s failed", version_id)
        if self.request.retries >= self.max_retries:
            version_mark_pdf(version_id=version_id, pdf_bytes=None)
            raise  # the effect is marked failed with the error; "retry now" renders again
        raise self.retry(exc=exc) from exc
    return version_mark_pdf(version_id=version_id, pdf_bytes=pdf)
