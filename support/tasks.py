from __future__ import annotations

import logging

from celery import shared_task

from delivery.effects import effect_task

from .enums import PdfStatus
from .models import ServiceForm
from .rendering import service_form_pdf_bytes
from .services import service_form_mark_pdf, support_reminders_send

logger = logging.getLogger(__name__)

# Collected by delivery/beat.py: emergency reminders and overdue completion confirmations.
BEAT_SCHEDULE = {"support-reminders": {"task": "support.reminders", "schedule": 900.0}}


@shared_task(name="support.render_service_form_pdf", bind=True, max_retries=3, default_retry_delay=30)
@effect_task
def service_form_pdf_task(self, *, form_id: int) -> bool:
    """Render and sign a signed service form's PDF. Idempotent: a finished PDF is never redone."""
    form = ServiceForm.objects.select_related("request__customer").get(pk=form_id)
    if form.pdf_status == PdfStatus.READY:
        return False
    try:
        pdf = service_form_pdf_bytes(form)
    except Exception as exc:
        logger.exception("Rendering the signed service form PDF %s failed", form_id)
        if self.request.retries >= self.max_retries:
            service_form_mark_pdf(form_id=form_id, pdf_bytes=None)
            raise  # the effect is marked failed with the error; "retry now" renders again
        raise self.retry(exc=exc) from exc
    return service_form_mark_pdf(form_id=form_id, pdf_bytes=pdf)


@shared_task(name="support.reminders")
def support_reminders_task() -> dict[str, int]:
    """Emergency reminders and overdue completion confirmations; safe to run twice or concurrently."""
    return support_reminders_send()
