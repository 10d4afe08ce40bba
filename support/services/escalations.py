"""§6 "Disputes escalate": the engineer to the technical director, sales to the sales directors."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from .. import verbs
from ..enums import SALES_DIRECTOR_ROLES, EscalationPath, EventKind, SupportRoleKind
from ..models import Escalation, SupportRequest
from ..permissions import can_raise_escalation, can_resolve_escalation
from ..selectors import user_list_with_roles
from ._common import RequestMeta, support_request_event_record, support_request_lock, support_request_notify


def escalation_recipients(path: str):
    if path == EscalationPath.ENGINEER_TO_TECHNICAL_DIRECTOR:
        return user_list_with_roles(SupportRoleKind.TECHNICAL_DIRECTOR)
    return user_list_with_roles(*SALES_DIRECTOR_ROLES)


@transaction.atomic
def escalation_raise(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, subject: str, description: str
) -> Escalation:
    support_request = support_request_lock(support_request)
    path = can_raise_escalation(support_request, user)
    if path is None:
        raise PermissionDenied
    if not support_request.is_open:
        raise ValidationError(_("This request is finished; nothing can be escalated any more."))
    errors = {}
    if not (subject or "").strip():
        errors["subject"] = _("Give the escalation a subject.")
    if not (description or "").strip():
        errors["description"] = _("Describe the dispute.")
    if errors:
        raise ValidationError(errors)
    escalation = Escalation.objects.create(
        request=support_request, path=path, subject=subject.strip(), description=description.strip(), raised_by=user
    )
    support_request_event_record(
        support_request, EventKind.ESCALATED, actor=user, meta=meta, comment=escalation.subject
    )
    support_request_notify(
        recipients=escalation_recipients(path),
        verb=verbs.ESCALATED,
        support_request=support_request,
        actor=user,
        subject=subject,
    )
    return escalation


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, user: AbstractUser, meta: RequestMeta, resolution: str) -> Escalation:
    escalation = Escalation.objects.select_for_update().select_related("request", "raised_by").get(pk=escalation.pk)
    if not can_resolve_escalation(escalation.path, user):
        raise PermissionDenied
    if not can_proceed(escalation.resolve):
        raise ValidationError(_("This escalation is already resolved."))
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Record how the dispute was resolved.")})
    escalation.resolve(by=user, resolution=resolution, at=timezone.now())
    escalation.save()
    support_request = escalation.request
    support_request_event_record(
        support_request, EventKind.ESCALATION_RESOLVED, actor=user, meta=meta, comment=resolution
    )
    support_request_notify(
        recipients=[escalation.raised_by],
        verb=verbs.ESCALATION_RESOLVED,
        support_request=support_request,
        actor=user,
        subject=escalation.subject,
    )
    return escalation
