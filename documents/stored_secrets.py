"""Showing a stored password on demand (SPEC §2): members only, after a fresh step-up check
(password or e-mailed code, accounts.stepup), audited with the account named, never logged."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404

from accounts.enums import StepUpPurpose
from accounts.stepup import stepup_verify
from delivery.crypto import decrypt_secret
from projects.permissions import project_standing

from .enums import EventKind
from .models import DeliverableVersion, StoredSecret
from .services import version_event_record


def secret_account(*, version: DeliverableVersion, key: str) -> dict:
    """The account a stored password belongs to (system and user name), to name it before and after."""
    uid = key.split(":")[0]
    for row in version.content.get("accounts", []):
        if row.get("uid") == uid and row.get("password"):
            return {"key": key, "system": row.get("system", ""), "username": row.get("username", "")}
    raise Http404


@transaction.atomic
def secret_reveal(*, version: DeliverableVersion, user, meta, key: str, answer: str) -> str:
    """Decrypt one stored password after the step-up check. Raises StepUpRefused on a wrong answer."""

    if not project_standing(version.deliverable.project, user).is_member:
        raise PermissionDenied
    try:
        secret = version.secrets.get(key=key)
    except StoredSecret.DoesNotExist:
        raise Http404 from None
    account = secret_account(version=version, key=key)
    stepup_verify(
        user=user, purpose=StepUpPurpose.REVEAL_SECRET, answer=answer, origin=meta, project=version.deliverable.project
    )
    version_event_record(
        version,
        EventKind.SECRET_REVEALED,
        actor=user,
        meta=meta,
        comment=f"{key.split(':')[0]} {account['system']} · {account['username']}",
    )
    return decrypt_secret(secret.ciphertext)
