from __future__ import annotations

from celery import shared_task

from delivery.effects import effect_task

from .services import dossier_build


@shared_task(name="dossier.build")
@effect_task
def dossier_build_task(*, dossier_id: int) -> str:
    return dossier_build(dossier_id=dossier_id)
