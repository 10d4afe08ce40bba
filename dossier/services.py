"""The evidence dossier: requested by the vendor PM or the customer lead, built by a task after
commit (claimed once, progress recorded step by step), downloaded by whoever may have it.

Lifecycle: pending → building → ready | failed (a failed build can be requested again).
"""

from __future__ import annotations

import hashlib
import json
import logging

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.effects import effect_record
from delivery.enums import Queue
from documents.permissions import user_is_vendor
from projects.models import Project

from .building import dossier_entries, manifest_build, manifest_pdf, zip_build
from .enums import DossierState
from .models import Dossier
from .permissions import user_can_request_dossier
from .selectors import dossier_pending

logger = logging.getLogger(__name__)


@transaction.atomic
def dossier_request(*, project: Project, user: AbstractBaseUser) -> Dossier:
    if not user_can_request_dossier(project, user):
        raise PermissionDenied
    Project.objects.select_for_update().filter(pk=project.pk).first()
    if dossier_pending(project=project).filter(requested_by=user).exists():
        raise ValidationError(_("Your dossier of this project is still being built."))
    dossier = Dossier.objects.create(project=project, requested_by=user, includes_internal=user_is_vendor(user))
    # A durable effect (delivery/effects.py): built once after commit, re-published if lost.
    effect_record(
        kind="dossier.build",
        key=f"dossier:build:{dossier.pk}",
        task="dossier.build",
        kwargs={"dossier_id": dossier.pk},
        queue=Queue.PDF,
    )
    return dossier


def _claim(dossier_id: int) -> Dossier | None:
    claimed = Dossier.objects.filter(pk=dossier_id, state=DossierState.PENDING).update(state=DossierState.BUILDING)
    if not claimed:
        return None
    return Dossier.objects.select_related("project__customer", "project__vendor_pm__profile", "requested_by").get(
        pk=dossier_id
    )


def dossier_build(*, dossier_id: int) -> str:
    """Build the ZIP. A repeated task finds it claimed and does nothing."""
    dossier = _claim(dossier_id)
    if dossier is None:
        return ""
    try:
        steps = dossier_entries(dossier)
        entries = []
        for done, step in enumerate(steps, start=1):
            entries.extend(step())
            # The last tenth is the manifest and its seal.
            Dossier.objects.filter(pk=dossier.pk).update(progress=int(90 * done / len(steps)))
        manifest = manifest_build(dossier, entries)
        manifest_json = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        manifest_sha256 = hashlib.sha256(manifest_json).hexdigest()
        data = zip_build(entries, manifest_json, manifest_pdf(dossier, manifest, manifest_sha256))
    except Exception as exc:
        logger.exception("Building dossier %s failed", dossier.pk)
        Dossier.objects.filter(pk=dossier.pk).update(
            state=DossierState.FAILED, error=exc.__class__.__name__, finished_at=timezone.now()
        )
        return DossierState.FAILED
    dossier.file.save(f"{dossier.project.code}-dossier.zip", ContentFile(data), save=False)
    Dossier.objects.filter(pk=dossier.pk).update(
        file=dossier.file.name,
        manifest=manifest,
        manifest_sha256=manifest_sha256,
        state=DossierState.READY,
        progress=100,
        finished_at=timezone.now(),
    )
    return DossierState.READY
