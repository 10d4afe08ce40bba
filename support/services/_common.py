"""Helpers every support service shares: row locks, the audit trail, notifications."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation
from django_fsm import can_proceed, has_transition_perm

from deadlines.models import Deadline
from deadlines.services import deadline_lock
from delivery.audit import RequestMeta
from delivery.people import display_name
from notifications.services import notification_create
from notifications.verbs import Verb

from ..enums import PLANNING_STATES, WORK_STATES, SupportRoleKind
from ..models import RequestEvent, SupportRequest
from ..permissions import is_assigned_engineer
from ..selectors import user_list_with_roles

__all__ = [
    "PLANNING_STATES",
    "WORK_STATES",
    "RequestMeta",
    "required_text",
    "technical_directors",
    "support_request_lock",
    "lock_open_deadline",
    "support_request_event_record",
    "support_request_notify",
]

NO_META = RequestMeta()


def technical_directors() -> list:
    return list(user_list_with_roles(SupportRoleKind.TECHNICAL_DIRECTOR))


def required_text(value: str, field: str, message: str) -> str:
    """The stripped text, or a ValidationError on ``field`` when it is empty."""
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def support_request_lock(support_request: SupportRequest) -> SupportRequest:
    """Re-read the request under a row lock: concurrent actions on it queue here.

    Lock order, everywhere: the request's open deadline first (the sweep holds it while it runs
    the rule's effect, which then locks the request), the request second.
    """
    return (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("customer", "project", "sales", "engineer", "customer_contact")
        .get(pk=support_request.pk)
    )


def lock_open_deadline(support_request: SupportRequest, rule: str) -> Deadline | None:
    return deadline_lock(target=support_request, rule=rule)


def require_assigned_engineer(support_request: SupportRequest, user: AbstractUser, states, refusal: str) -> None:
    if not is_assigned_engineer(support_request, user):
        raise PermissionDenied
    if support_request.state not in states:
        raise ValidationError(refusal)


def check_transition(method, user: AbstractUser, refusal: str) -> None:
    """The state must allow the transition (else ``refusal``), and the user must be allowed to run it."""
    if not can_proceed(method):
        raise ValidationError(refusal)
    if not has_transition_perm(method, user):
        raise PermissionDenied


def support_request_event_record(
    support_request: SupportRequest, kind: str, *, actor=None, meta: RequestMeta = NO_META, comment: str = ""
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=support_request,
        kind=kind,
        actor=actor,
        at=timezone.now(),
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
        comment=comment,
    )


def support_request_notify(
    *, recipients: Iterable, verb: Verb, support_request: SupportRequest, actor=None, **context: object
) -> None:
    """Tell ``recipients`` (never the actor) about ``request``; e-mails go out after commit.

    The context is stored as text in the site's default language; the verb's sentence is
    translated when shown.
    """
    with translation.override(settings.LANGUAGE_CODE):
        values = {"request": str(support_request), "actor": display_name(actor)}
        values.update({key: str(value) for key, value in context.items()})
    people = [person for person in recipients if person is not None and (actor is None or person.pk != actor.pk)]
    if not people:
        return
    notification_create(
        recipients=people,
        verb=verb.code,
        context=values,
        target=support_request,
        url=support_request.get_absolute_url(),
    )
