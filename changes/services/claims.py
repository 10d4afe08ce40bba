"""Service-period compensation for changes 4.1 and 4.2 (§4.1, §4.2; SPEC §5).

compensation_windows_open  go-live (actual or deemed) → a 15-working-day claim window for each
                           accepted/agreed/implemented 4.1 and 4.2 change; idempotent, never two
                           open windows for one change (a listener of the go-live work: it
                           runs when the go-live confirmation is signed or deemed accepted)
claim_window_open          one change's window (also when a change is approved after go-live)
claim_file                 the customer lead claims while the window is open (now < due);
                           afterwards refused with the date the window closed
claim_answer               the vendor PM accepts (days granted) or rejects (reasons)
claim_window_closed        (deadline effect) the closing is logged on the change's timeline
"""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from deadlines.calendar import local_date, start_of_day
from deadlines.enums import CorrectionOutcome, DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.selectors import deadline_list_for_target
from deadlines.services import deadline_cancel, deadline_mark_met, deadline_open
from delivery.audit import RequestMeta
from projects.models import Project

from .. import verbs
from ..enums import APPROVED_STATES, COMPENSATION_KINDS, COMPENSATION_WORKING_DAYS, ChangeEventKind
from ..models import ChangeRequest, CompensationClaim
from ..permissions import user_can_file_claim
from .common import change_event_record, change_lock, change_notify


def claim_window(change: ChangeRequest) -> Deadline | None:
    """The change's current claim window (the latest one not cancelled), if go-live opened one."""
    return (
        deadline_list_for_target(target=change)
        .filter(rule=RuleCode.COMPENSATION_CLAIM)
        .exclude(status=DeadlineStatus.CANCELLED)
        .order_by("-id")
        .first()
    )


@transaction.atomic
def claim_window_open(*, change: ChangeRequest, golive_on: date) -> Deadline | None:
    """Open the change's window from ``golive_on``; None when it is open already (or a claim is in).

    A window from another go-live date (the date was corrected) is cancelled and replaced.
    """
    windows = list(
        deadline_list_for_target(target=change)
        .filter(rule=RuleCode.COMPENSATION_CLAIM)
        .exclude(status=DeadlineStatus.CANCELLED)
        .select_for_update()
    )
    if CompensationClaim.objects.filter(change=change).exists():
        return None
    if any(local_date(window.started_at) == golive_on for window in windows):
        return None
    for window in windows:
        if window.status == DeadlineStatus.OPEN:
            deadline_cancel(deadline=window, reason=f"go-live date changed to {golive_on.isoformat()}")
    customer_lead = change.project.customer_lead
    deadline = deadline_open(
        target=change,
        rule=RuleCode.COMPENSATION_CLAIM,
        started_at=start_of_day(golive_on),
        working_days=COMPENSATION_WORKING_DAYS,
        recipients=[customer_lead],
    )
    change_event_record(
        change,
        ChangeEventKind.CLAIM_WINDOW_OPENED,
        actor=None,
        comment=f"{golive_on.isoformat()} → {deadline.due_date.isoformat()}",
    )
    if deadline.due_at > timezone.now():
        change_notify(
            change, verb=verbs.CLAIM_WINDOW_OPENED, recipients=[customer_lead], due=deadline.due_date.isoformat()
        )
    return deadline


@transaction.atomic
def compensation_windows_open(*, project: Project, golive_on: date) -> list[Deadline]:
    """§4.1, §4.2: from go-live the customer lead has 15 working days to claim compensation for
    each accepted, agreed or implemented 4.1/4.2 change. Safe to call again: the change rows are
    locked and a change whose window runs from ``golive_on`` already is left alone."""
    changes = (
        ChangeRequest.objects.select_for_update(of=("self",))
        .select_related("project__customer_lead")
        .filter(project_id=project.pk, kind__in=COMPENSATION_KINDS, state__in=APPROVED_STATES)
        .order_by("number")
    )
    opened = [claim_window_open(change=change, golive_on=golive_on) for change in changes]
    return [deadline for deadline in opened if deadline is not None]


def _claim_refusal(change: ChangeRequest, user: AbstractUser) -> None:
    if change.kind not in COMPENSATION_KINDS:
        raise ValidationError(_("Compensation can be claimed only for changes of kind 4.1 or 4.2 (§4)."))
    if change.state not in APPROVED_STATES:
        raise ValidationError(_("Compensation can be claimed only for an accepted or agreed change."))
    if not user_can_file_claim(change, user):
        raise PermissionDenied
    if CompensationClaim.objects.filter(change=change).exists():
        raise ValidationError(_("A compensation claim has already been filed for this change."))


def claim_window_refusal(change: ChangeRequest, *, now: datetime) -> str | None:
    """Why no claim can be filed now (no window yet, or closed), or None while it is open."""
    return window_refusal(claim_window(change), now=now)


def window_refusal(window: Deadline | None, *, now: datetime) -> str | None:
    if window is None:
        return _("The claim window opens when the system goes live (§4.1, §4.2); no go-live date is recorded yet.")
    if now >= window.due_at:
        return _("The claim period ended on %(date)s.") % {"date": window.due_date.isoformat()}
    return None


@transaction.atomic
def claim_file(
    *,
    change: ChangeRequest,
    user: AbstractUser,
    meta: RequestMeta,
    days_requested: int,
    reason: str,
    now: datetime | None = None,
) -> CompensationClaim:
    """§4.1, §4.2: the customer lead claims service-period compensation within the window."""
    change = change_lock(change)
    _claim_refusal(change, user)
    now = now or timezone.now()
    window = claim_window(change)
    if window is not None:
        window = Deadline.objects.select_for_update().get(pk=window.pk)  # the sweep skips it meanwhile
    refusal = claim_window_refusal(change, now=now)
    if refusal is not None:
        raise ValidationError(refusal)
    errors = {}
    if not isinstance(days_requested, int) or days_requested < 1:
        errors["days_requested"] = _("Claim at least one day of service.")
    if not (reason or "").strip():
        errors["reason"] = _("Explain the claim.")
    if errors:
        raise ValidationError(errors)
    claim = CompensationClaim.objects.create(
        change=change, days_requested=days_requested, reason=reason.strip(), filed_by=user, filed_at=now
    )
    if window.status == DeadlineStatus.OPEN:
        deadline_mark_met(deadline=window, by=user)
    change_event_record(change, ChangeEventKind.CLAIM_FILED, actor=user, meta=meta, comment=claim.reason, at=now)
    change_notify(
        change, verb=verbs.CLAIM_FILED, recipients=[change.project.vendor_pm], actor=user, days=days_requested
    )
    return claim


@transaction.atomic
def claim_answer(
    *,
    claim: CompensationClaim,
    user: AbstractUser,
    meta: RequestMeta,
    accept: bool,
    days_granted: int | None = None,
    reasons: str = "",
) -> CompensationClaim:
    """The vendor PM accepts the claim with the days granted, or rejects it with reasons."""
    claim = CompensationClaim.objects.select_for_update().select_related("change__project").get(pk=claim.pk)
    method = claim.accept if accept else claim.reject
    if not can_proceed(method):
        raise ValidationError(_("This claim has already been answered."))
    if not has_transition_perm(method, user):
        raise PermissionDenied
    reasons = (reasons or "").strip()
    if accept and (not isinstance(days_granted, int) or days_granted < 1):
        raise ValidationError({"days_granted": _("Give the number of days of service granted.")})
    if not accept and not reasons:
        raise ValidationError({"reasons": _("Give the reasons for rejecting the claim.")})
    now = timezone.now()
    if accept:
        claim.accept(by=user, days=days_granted, reasons=reasons, at=now)
    else:
        claim.reject(by=user, reasons=reasons, at=now)
    claim.save()
    change = claim.change
    kind = ChangeEventKind.CLAIM_ACCEPTED if accept else ChangeEventKind.CLAIM_REJECTED
    change_event_record(change, kind, actor=user, meta=meta, comment=reasons, at=now)
    recipients = [change.project.customer_lead]
    if accept:
        change_notify(change, verb=verbs.CLAIM_ACCEPTED, recipients=recipients, actor=user, days=days_granted)
    else:
        change_notify(change, verb=verbs.CLAIM_REJECTED, recipients=recipients, actor=user)
    return claim


# --- The claim window's deadline (registered in apps.py) -------------------------------------


def claim_window_closed(deadline: Deadline) -> None:
    """The window ran out without a claim: later claims are refused (with the date); log it once."""
    change = deadline.target
    if not isinstance(change, ChangeRequest):
        return
    comment = deadline.due_date.isoformat()
    if change.events.filter(kind=ChangeEventKind.CLAIM_WINDOW_CLOSED, comment=comment).exists():
        return
    change_event_record(change, ChangeEventKind.CLAIM_WINDOW_CLOSED, actor=None, comment=comment)


def claim_window_reopen(deadline: Deadline) -> str:
    """Calendar corrected: the window had closed before its correct end (``deadline.due_at``); it
    is open again until then (claim_file compares with the deadline's due time)."""
    change = deadline.target
    if not isinstance(change, ChangeRequest) or CompensationClaim.objects.filter(change=change).exists():
        return CorrectionOutcome.STANDS
    change_event_record(
        change, ChangeEventKind.CLAIM_WINDOW_REOPENED, actor=None, comment=deadline.due_date.isoformat()
    )
    return CorrectionOutcome.WITHDRAWN


def claim_window_concerned(deadline: Deadline) -> list:
    """Told when the calendar moves or corrects the window: the customer lead and the vendor PM."""
    change = deadline.target
    if not isinstance(change, ChangeRequest):
        return list(deadline.recipients.all())
    project = change.project
    return [user for user in (project.customer_lead, project.vendor_pm) if user is not None]


def claim_window_people(deadline: Deadline) -> list:
    """The reminder one working day before the window closes goes to the customer lead."""
    change = deadline.target
    if not isinstance(change, ChangeRequest):
        return list(deadline.recipients.all())
    return [change.project.customer_lead] if change.project.customer_lead else []
