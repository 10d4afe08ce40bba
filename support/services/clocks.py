"""The clocks of the support procedure (SPEC §5) and what happens when they run out.

- support_response (deadline engine, 12:00 cut-off): missed → escalated to the technical director.
- the procedure's table of steps ("申请、确认、响应时间一览表") and the proposal's agreed tier
  ("方案完成时间商定"): support_engineer_response, support_work_start and support_proposal run on
  the support table clocks (n-th working day, 12:00 cut-off); each is met by its act and, missed,
  escalated to the technical director and sales (reminded one working day before like any deadline).
- sales_confirmation (deadline engine, 1 working day): no reply → the work counts as complete.
  Both effects run inside the sweep's transaction, which claims each deadline exactly once; each
  effect also checks the request's state, so it changes nothing when the act happened anyway.
- the engineer's completion confirmation (next working day after the form is signed) and the
  daily reminder to file the formal request after emergency work: checked by the periodic task
  ``support.reminders``; each is claimed with a conditional UPDATE, so it happens once even when
  two workers run the task at the same time.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from deadlines.calendar import TZ, is_working_day, local_date
from deadlines.enums import Clock, CorrectionOutcome, RuleCode
from deadlines.models import Deadline
from deadlines.services import deadline_open

from .. import verbs
from ..enums import FINAL_STATES, PROPOSAL_TIER_DAYS, STEP_CLOCKS, EventKind, RequestState
from ..models import SupportRequest
from ._common import support_request_event_record, support_request_notify, technical_directors

# Emergency reminders go out once per working day, from the start of office hours.
EMERGENCY_REMINDER_FROM = time(9, 0)


def _locked(pk: int) -> SupportRequest | None:
    return (
        SupportRequest.objects.select_for_update(of=("self",))
        .select_related("sales", "engineer", "customer")
        .filter(pk=pk)
        .first()
    )


def support_request_response_missed(deadline: Deadline) -> None:
    """§5 support request response, run out: overdue, escalate to the technical director."""
    support_request = _locked(deadline.target_id)
    if (
        support_request is None
        or support_request.state != RequestState.FILED
        or support_request.response_overdue_at is not None
    ):
        return
    support_request.response_overdue_at = timezone.now()
    support_request.save(update_fields=["response_overdue_at", "updated_at"])
    support_request_event_record(support_request, EventKind.RESPONSE_OVERDUE, comment=deadline.due_date.isoformat())
    support_request_notify(
        recipients=[*technical_directors(), support_request.sales],
        verb=verbs.RESPONSE_OVERDUE,
        support_request=support_request,
        due=deadline.due_date.isoformat(),
    )


def support_request_response_overdue_withdraw(deadline: Deadline) -> str:
    """Calendar corrected: the response was flagged overdue before its correct end. A request
    still waiting for its response is no longer overdue and the clock runs to the correct end."""
    support_request = _locked(deadline.target_id)
    if (
        support_request is None
        or support_request.state != RequestState.FILED
        or support_request.response_overdue_at is None
    ):
        return CorrectionOutcome.STANDS
    support_request.response_overdue_at = None
    support_request.save(update_fields=["response_overdue_at", "updated_at"])
    support_request_event_record(
        support_request, EventKind.RESPONSE_OVERDUE_WITHDRAWN, comment=deadline.due_date.isoformat()
    )
    return CorrectionOutcome.WITHDRAWN


def support_request_confirmed_by_silence(deadline: Deadline) -> None:
    """§5 sales confirmation of completed support, run out: no reply means the work is complete."""
    support_request = _locked(deadline.target_id)
    if support_request is None or support_request.state != RequestState.COMPLETED:
        return
    support_request.confirm_by_silence(at=timezone.now())
    support_request.save()
    support_request_event_record(support_request, EventKind.CONFIRMED_BY_SILENCE, comment=deadline.due_date.isoformat())
    support_request_notify(
        recipients=[support_request.engineer, support_request.sales, *technical_directors()],
        verb=verbs.CONFIRMED_BY_SILENCE,
        support_request=support_request,
        due=deadline.due_date.isoformat(),
    )


# Which act meets each step clock (the services mark it met): for the page's help and the effect.
STEP_RULES = (RuleCode.SUPPORT_ENGINEER_RESPONSE, RuleCode.SUPPORT_WORK_START, RuleCode.SUPPORT_PROPOSAL)


def support_request_step_clocks_open(support_request: SupportRequest, *, recipients) -> None:
    """The table's later steps start with the request (its time decides the 12:00 cut-off)."""
    for rule, ordinal in STEP_CLOCKS:
        deadline_open(
            target=support_request,
            rule=rule,
            started_at=support_request.filed_at,
            working_days=ordinal,
            clock=Clock.SUPPORT_CUTOFF,
            recipients=recipients,
        )


def support_request_proposal_clock_open(support_request: SupportRequest, *, tier: int, recipients) -> Deadline:
    """The tier agreed for the proposal's completion, counted from the request's time."""
    ordinal, cutoff = PROPOSAL_TIER_DAYS[tier]
    return deadline_open(
        target=support_request,
        rule=RuleCode.SUPPORT_PROPOSAL,
        started_at=support_request.filed_at,
        working_days=ordinal,
        clock=Clock.SUPPORT_CUTOFF if cutoff else Clock.SUPPORT_FIXED,
        recipients=recipients,
    )


def support_request_step_missed(deadline: Deadline) -> None:
    """A step of the procedure's tables ran out before its act: overdue, escalate."""
    support_request = _locked(deadline.target_id)
    if support_request is None or support_request.state in FINAL_STATES:
        return
    with translation.override(settings.LANGUAGE_CODE):
        label = str(RuleCode(deadline.rule).label)
    support_request_event_record(
        support_request, EventKind.STEP_OVERDUE, comment=f"{label} · {deadline.due_date.isoformat()}"
    )
    support_request_notify(
        recipients=[*technical_directors(), support_request.sales, support_request.engineer],
        verb=verbs.STEP_OVERDUE,
        support_request=support_request,
        step=label,
        due=deadline.due_date.isoformat(),
    )


def support_request_describe(deadline: Deadline) -> str:
    return str(deadline.target) if deadline.target is not None else ""


def _emergency_reminders(now: datetime) -> int:
    today = local_date(now)
    if not is_working_day(today) or now.astimezone(TZ).time() < EMERGENCY_REMINDER_FROM:
        return 0
    not_today = Q(emergency_reminded_on__isnull=True) | Q(emergency_reminded_on__lt=today)
    due = SupportRequest.objects.filter(not_today, state=RequestState.EMERGENCY)
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = due.filter(pk=pk).update(emergency_reminded_on=today)
            support_request = _locked(pk) if claimed else None
            if support_request is not None:
                support_request_notify(
                    recipients=[support_request.sales, *technical_directors()],
                    verb=verbs.EMERGENCY_REMINDER,
                    support_request=support_request,
                )
                sent += 1
    return sent


def _completion_overdue(now: datetime) -> int:
    due = SupportRequest.objects.filter(
        state=RequestState.IN_PROGRESS, completion_due_at__lte=now, completion_overdue_at__isnull=True
    )
    sent = 0
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            claimed = due.filter(pk=pk).update(completion_overdue_at=now)
            support_request = _locked(pk) if claimed else None
            if support_request is not None:
                day = local_date(support_request.completion_due_at - timedelta(microseconds=1)).isoformat()
                support_request_event_record(support_request, EventKind.COMPLETION_OVERDUE, comment=day)
                support_request_notify(
                    recipients=[support_request.engineer, *technical_directors()],
                    verb=verbs.COMPLETION_OVERDUE,
                    support_request=support_request,
                    due=day,
                )
                sent += 1
    return sent


def support_reminders_send(*, now: datetime | None = None) -> dict[str, int]:
    """The periodic check; safe to run twice or concurrently."""
    now = now or timezone.now()
    return {"emergency_reminders": _emergency_reminders(now), "completion_overdue": _completion_overdue(now)}
