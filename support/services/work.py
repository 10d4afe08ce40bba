"""Records kept while the work is done (SPEC §6 "During work", "Effort"): deviations and the
result sales agrees for them, internal notes, and the effort the technical director sets."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .. import verbs
from ..enums import (
    DeviationKind,
    DeviationResult,
    EventKind,
    RequestState,
    SupportRoleKind,
)
from ..models import Deviation, EffortAccount, InternalNote, SupportRequest
from ..permissions import (
    can_write_internal,
    user_has_role,
    user_is_technical_director,
)
from ._common import (
    PLANNING_STATES,
    RequestMeta,
    display_name,
    require_assigned_engineer,
    required_text,
    support_request_event_record,
    support_request_lock,
    support_request_notify,
    technical_directors,
)


@transaction.atomic
def deviation_report(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, kind: str, description: str
) -> Deviation:
    """§6: a deviation (effort, products sold, company interest) goes to sales and the technical director."""
    support_request = support_request_lock(support_request)
    require_assigned_engineer(
        support_request, user, PLANNING_STATES, _("Deviations are reported while the work is under way.")
    )
    if kind not in DeviationKind.values:
        raise ValidationError({"kind": _("Choose what the deviation is about.")})
    deviation = Deviation.objects.create(
        request=support_request,
        kind=kind,
        description=required_text(description, "description", _("Describe the deviation.")),
        reported_by=user,
    )
    support_request_event_record(
        support_request, EventKind.DEVIATION_REPORTED, actor=user, meta=meta, comment=deviation.description
    )
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(DeviationKind(kind).label)
    support_request_notify(
        recipients=[support_request.sales, *technical_directors()],
        verb=verbs.DEVIATION,
        support_request=support_request,
        actor=user,
        kind=kind_label,
    )
    return deviation


@transaction.atomic
def deviation_result_record(
    *, deviation: Deviation, user: AbstractUser, meta: RequestMeta, result: str, note: str
) -> Deviation:
    """§6: sales records the result agreed for a deviation; it goes to the technical director."""
    support_request = support_request_lock(deviation.request)
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk, request=support_request)
    if support_request.sales_id != user.pk:
        raise PermissionDenied
    if support_request.state not in PLANNING_STATES and support_request.state != RequestState.COMPLETED:
        raise ValidationError(_("The request is no longer under way."))
    if deviation.result:
        raise ValidationError(_("The result of this deviation is already recorded."))
    if result not in DeviationResult.values:
        raise ValidationError({"result": _("Choose the agreed result.")})
    deviation.result = result
    deviation.result_note = required_text(note, "note", _("Say what was agreed."))
    deviation.result_by = user
    deviation.result_at = timezone.now()
    deviation.save()
    with translation.override(settings.LANGUAGE_CODE):
        result_label = str(DeviationResult(result).label)
    support_request_event_record(
        support_request,
        EventKind.DEVIATION_RESULT,
        actor=user,
        meta=meta,
        comment=f"{result_label}: {deviation.result_note}",
    )
    support_request_notify(
        recipients=[*technical_directors(), support_request.engineer],
        verb=verbs.DEVIATION_RESULT,
        support_request=support_request,
        actor=user,
        result=result_label,
    )
    return deviation


@transaction.atomic
def internal_note_add(*, support_request: SupportRequest, user: AbstractUser, text: str) -> InternalNote:
    """A vendor-side note; customers never see these."""
    if not can_write_internal(support_request, user):
        raise PermissionDenied
    return InternalNote.objects.create(
        request=support_request, author=user, text=required_text(text, "text", _("The note is empty."))
    )


# --- effort ---------------------------------------------------------------------------------------
@transaction.atomic
def effort_account_set(
    *,
    support_request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    engineer: AbstractUser,
    estimated_hours: Decimal,
    accounted_hours: Decimal | None = None,
) -> EffortAccount:
    """§6: the technical director sets the estimated and the accounted effort per engineer."""
    if not user_is_technical_director(user):
        raise PermissionDenied
    errors = {}
    if estimated_hours is None or estimated_hours < 0:
        errors["estimated_hours"] = _("Enter the estimated hours (0 or more).")
    if accounted_hours is not None and accounted_hours < 0:
        errors["accounted_hours"] = _("Accounted hours cannot be negative.")
    if not user_has_role(engineer, SupportRoleKind.ENGINEER):
        errors["engineer"] = _("Choose a person with the support engineer role.")
    if errors:
        raise ValidationError(errors)
    account, _created = EffortAccount.objects.update_or_create(
        request=support_request,
        engineer=engineer,
        defaults={
            "estimated_hours": estimated_hours,
            "accounted_hours": accounted_hours,
            "set_by": user,
            "set_at": timezone.now(),
        },
    )
    comment = f"{display_name(engineer)}: {estimated_hours} / {accounted_hours if accounted_hours is not None else '-'}"
    support_request_event_record(support_request, EventKind.EFFORT_SET, actor=user, meta=meta, comment=comment)
    return account
