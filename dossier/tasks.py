from __future__ import annotations

from celery import shared_task

from .services import dossier_build


@shared_task(name="dossier.build")
def dossier_build_task(*, dossier_id: int) -> str:
    return dossier_build(dossier_id=dossier_id)
