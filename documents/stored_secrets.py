"""Showing a stored password on demand (SPEC §2): members only, audited, never logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from delivery.crypto import decrypt_secret

from .enums import EventKind
from .models import DeliverableVersion, StoredSecret


def user_is_project_member(project, user) -> bool:
    if user.is_superuser:
        return True
    return (
        user.pk in (project.vendor_pm_id, project.customer_lead_id) or project.members.filter(user_id=user.pk).exists()
    )


@transaction.atomic
def secret_reveal(*, version: DeliverableVersion, user, meta, key: str) -> str:
    from .services import _event

    if not user_is_project_member(version.deliverable.project, user):
        raise PermissionDenied
    try:
        secret = version.secrets.get(key=key)
    except StoredSecret.DoesNotExist:
        raise Http404 from None
    _event(version, EventKind.SECRET_REVEALED, actor=user, meta=meta, comment=key.split(":")[0])
    return decrypt_secret(secret.ciphertext)
