"""Helpers shared by the change-letter and compensation services: locking, the timeline,
notifications, fingerprints and the sealed PDFs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from deadlines.enums import RuleCode
from deadlines.models import Deadline
from deadlines.selectors import deadline_list_for_target
from delivery.audit import RequestMeta
from delivery.people import display_name
from notifications.services import notification_create
from projects.permissions import project_leads
from sealing.fingerprint import canonical_sha256
from sealing.services import sealed_pdf_effect

from ..models import ChangeAttachment, ChangeEvent, ChangePdf, ChangeRequest

SYSTEM_META = RequestMeta()


def change_label(change: ChangeRequest) -> str:
    """How notifications name a letter: project code, number and subject."""
    return f"{change.project.code} #{change.number} {change.title}"


def change_lock(change: ChangeRequest) -> ChangeRequest:
    """Re-read the letter under a row lock: concurrent replies and listeners queue here."""
    return ChangeRequest.objects.select_for_update().select_related("project").get(pk=change.pk)


def change_event_record(
    change: ChangeRequest,
    kind: str,
    *,
    actor: AbstractUser | None,
    meta: RequestMeta = SYSTEM_META,
    from_state: str = "",
    comment: str = "",
    at: datetime | None = None,
) -> ChangeEvent:
    return ChangeEvent.objects.create(
        change=change,
        kind=kind,
        actor=actor,
        at=at or timezone.now(),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
        from_state=from_state,
        to_state=change.state,
        comment=comment,
    )


def change_notify(
    change: ChangeRequest, *, verb: str, recipients: Iterable, actor: AbstractUser | None = None, **extra: object
) -> None:
    context = {"change": change_label(change), **extra}
    if actor is not None:
        context["actor"] = display_name(actor)
    notification_create(
        recipients=[user for user in recipients if user is not None and (actor is None or user.pk != actor.pk)],
        verb=verb,
        context=context,
        target=change,
        url=change.get_absolute_url(),
    )


def change_leads(change: ChangeRequest) -> list:
    return project_leads(change.project)


def require_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _digest(payload: dict) -> str:
    return canonical_sha256(payload)


def letter_sha256(change: ChangeRequest, attachments: Sequence[ChangeAttachment]) -> str:
    """The fingerprint of what was sent: the letter's text, its metadata and its files."""
    return _digest(
        {
            "project": change.project.code,
            "number": change.number,
            "kind": change.kind,
            "initiating_side": change.initiating_side,
            "initiated_by": change.initiated_by_id,
            "title": change.title,
            "reason": change.reason,
            "requirements_change": change.requirements_change,
            "plan_change": change.plan_change,
            "received_at": change.received_at.isoformat(),
            "attachments": [[a.name, a.size, a.sha256] for a in attachments],
        }
    )


def reply_sha256(change: ChangeRequest) -> str:
    return _digest(
        {
            "letter": change.letter_sha256,
            "state": change.state,
            "accepted": change.reply_accepted,
            "reasons": change.reply_reasons,
            "findings": change.reply_findings,
            "replied_by": change.replied_by_id,
            "replied_at": change.replied_at.isoformat() if change.replied_at else None,
            "late": change.reply_late,
        }
    )


def pdf_schedule(change: ChangeRequest, document: str) -> ChangePdf:
    """The sealed PDF is rendered by a task once the transaction has committed (idempotent)."""
    pdf, _created = ChangePdf.objects.get_or_create(change=change, document=document)
    sealed_pdf_effect(pdf, kind="change")
    return pdf


def reply_deadline(change: ChangeRequest) -> Deadline | None:
    """The §4.2/§4.3 reply clock of the letter (None for 4.1/4.4)."""
    return deadline_list_for_target(target=change).filter(rule=RuleCode.CHANGE_REPLY).order_by("-id").first()
