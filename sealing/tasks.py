from __future__ import annotations

import logging

from celery import shared_task
from django.apps import apps
from django.utils.module_loading import import_string

from delivery.effects import effect_task

from .enums import PdfStatus
from .services import RENDER_TASK, sealed_pdf_store

logger = logging.getLogger(__name__)


@shared_task(name=RENDER_TASK, bind=True, max_retries=3, default_retry_delay=30)
@effect_task
def sealed_pdf_render_task(self, *, model: str, pk: int) -> bool:
    """Render and seal a record's PDF (``model`` is its "app.model" label). Idempotent: a finished
    PDF is never redone."""
    model_class = apps.get_model(model)
    record = model_class.objects.select_related(*model_class.sealed_pdf_related).get(pk=pk)
    if record.pdf_status == PdfStatus.READY:
        return False
    try:
        data = import_string(model_class.sealed_pdf_renderer)(record)
    except Exception as exc:
        logger.exception("Rendering the sealed PDF of %s %s failed", model, pk)
        final = self.request.retries >= self.max_retries
        sealed_pdf_store(
            model=model_class, pk=pk, pdf_bytes=None, error=f"{exc.__class__.__name__}: {exc}", final=final
        )
        if final:
            raise  # the effect is marked failed with the error; "retry now" renders again
        raise self.retry(exc=exc) from exc
    return sealed_pdf_store(model=model_class, pk=pk, pdf_bytes=data)
