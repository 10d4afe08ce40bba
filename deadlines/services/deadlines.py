"""Writes: opening and closing deadlines, and the sweep that enforces them.

Exactly-once (SPEC §5): the sweep claims each due deadline with SELECT … FOR UPDATE SKIP LOCKED
inside a transaction that also runs the rule's effect, so two sweeps never take the same row, a
failing effect rolls back its own claim (savepoint) and a killed sweep rolls back the unfinished
batch. Reminders are claimed the same way through ``reminder_sent_at``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Count
from django.utils import timezone
from django_fsm import ConcurrentTransition
from django_fsm_log.models import StateLog

from notifications.services import in_each_language, notification_create

from ..calendar import (
    Calendar,
    Computation,
    current_calendar,
    start_of_day,
)
from ..clocks import clock_length, clock_spec
from ..enums import Clock, DeadlineStatus, RuleCode
from ..hooks import get_rule, registered_codes
from ..models import Deadline
from ..verbs import DEADLINE_REMINDER

logger = logging.getLogger(__name__)


# --- opening and closing deadlines -------------------------------------------------------------
def remind_at(calendar: Calendar, computation: Computation, started_at: datetime) -> datetime | None:
    """Start of the working day before the due day: from then on one working day is left."""
    moment = start_of_day(calendar.previous_working_day(computation.due_date))
    return moment if moment > started_at else None


@transaction.atomic
def deadline_open(
    *,
    target: models.Model,
    rule: str,
    started_at: datetime,
    working_days: int | None = None,
    clock: str | None = None,
    recipients: Iterable[AbstractBaseUser] = (),
) -> Deadline:
    """Start a clock about ``target``: due at 24:00 of the ``working_days``-th working day after
    ``started_at``'s day (Civil Code art. 201), or by the support cut-off rule for
    ``clock=Clock.SUPPORT_RESPONSE`` (``working_days`` is then 1 by definition).

    The length and the way of counting default to the rule's row in ``deadlines.clocks.CLOCKS``;
    only clocks whose length is chosen per deadline (the support tables) pass them."""
    if rule not in RuleCode.values:
        raise ValueError(f"Unknown deadline rule {rule!r}; expected one of {', '.join(RuleCode.values)}.")
    if target.pk is None:
        raise ValueError("The deadline's target must be saved first.")
    clock = clock or clock_spec(rule).unit
    if working_days is None:
        working_days = clock_length(rule)
    if clock == Clock.SUPPORT_RESPONSE:
        working_days = 1  # "answered within one working day"; the cut-off rule decides the date
    elif working_days is None:  # working days, or the n-th working day of a support table
        raise ValueError("working_days is required for a working-day deadline.")
    calendar = current_calendar()
    computation = calendar.compute(clock=clock, started_at=started_at, working_days=working_days)
    deadline = Deadline(
        target=target,
        rule=rule,
        clock=clock,
        started_at=started_at,
        working_days=working_days,
        due_at=computation.due_at,
        remind_at=remind_at(calendar, computation, started_at),
        provisional=computation.provisional,
        basis=computation.basis(),
    )
    deadline.save()
    deadline.recipients.set([user for user in recipients if user is not None])
    return deadline


def deadline_lock(
    *, target: models.Model, rule: str, statuses: Iterable[str] = (DeadlineStatus.OPEN,)
) -> Deadline | None:
    """The newest ``rule`` deadline about ``target`` in one of ``statuses``, under a row lock.

    Lock order, in every app: the deadline first, then the object it is about. The sweep holds
    the deadline while its effect locks the object; a service that locked the object first and
    the deadline second would deadlock against it. Call inside a transaction.
    """
    return (
        Deadline.objects.select_for_update()
        .filter(
            target_type=ContentType.objects.get_for_model(target),
            target_id=target.pk,
            rule=rule,
            status__in=list(statuses),
        )
        .order_by("-id")
        .first()
    )


@transaction.atomic
def deadline_mark_met(*, deadline: Deadline, by: AbstractBaseUser | None = None) -> Deadline:
    """The awaited act happened in time (e.g. the change letter was answered)."""
    deadline.mark_met(by=by)
    deadline.save(update_fields=["status", "met_at"])
    return deadline


@transaction.atomic
def deadline_cancel(*, deadline: Deadline, reason: str, by: AbstractBaseUser | None = None) -> Deadline:
    if not reason.strip():
        raise ValueError("A reason is required to cancel a deadline.")
    deadline.cancel(by=by, description=reason.strip())
    deadline.save(update_fields=["status", "cancelled_at", "cancel_reason"])
    return deadline


# --- the sweep -----------------------------------------------------------------------------------
@dataclass
class SweepResult:
    applied: int = 0
    reminded: int = 0
    failed: int = 0
    unregistered: int = 0
    failed_ids: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, int]:
        return {
            "applied": self.applied,
            "reminded": self.reminded,
            "failed": self.failed,
            "unregistered": self.unregistered,
        }


def _describe(deadline: Deadline) -> str:
    rule = get_rule(deadline.rule)
    if rule is not None and rule.describe is not None:
        return rule.describe(deadline)
    return str(deadline.target) if deadline.target is not None else ""


def notification_context(deadline: Deadline, **extra: str) -> dict:
    # Stored in every language: each reader sees the rule and its object in their own.
    return {
        "rule": in_each_language(deadline.get_rule_display),
        "target": in_each_language(lambda: _describe(deadline)),
        **extra,
    }


def target_url(deadline: Deadline) -> str:
    get_url = getattr(deadline.target, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _log_expired(ids: list[int]) -> None:
    # The sweep expires deadlines with one conditional UPDATE per batch instead of one
    # transition call per row, so it writes the transition log the same way: in bulk.
    content_type = ContentType.objects.get_for_model(Deadline)
    StateLog.objects.bulk_create(
        [
            StateLog(
                content_type=content_type,
                object_id=pk,
                source_state=DeadlineStatus.OPEN,
                state=DeadlineStatus.EXPIRED,
                transition="expire",
                description="due",
            )
            for pk in ids
        ]
    )


def _expire_and_apply(ids: list[int]) -> None:
    """Claim (open → expired, applied_at) and run each rule's effect, all in the caller's transaction."""
    claimed = Deadline.objects.filter(pk__in=ids, status=DeadlineStatus.OPEN).update(
        status=DeadlineStatus.EXPIRED, applied_at=timezone.now()
    )
    if claimed != len(ids):  # cannot happen while we hold the row locks; never apply twice
        raise ConcurrentTransition(f"Deadlines {ids} were no longer all open when claimed.")
    _log_expired(ids)
    for deadline in Deadline.objects.filter(pk__in=ids).order_by("due_at", "id").prefetch_related("target"):
        rule = get_rule(deadline.rule)
        if rule is None:  # unregistered while the sweep ran: leave it open
            raise LookupError(f"Deadline rule {deadline.rule!r} is not registered.")
        rule.effect(deadline)


def _remind(ids: list[int]) -> None:
    """Claim (reminder_sent_at) and notify, in the caller's transaction."""
    claimed = Deadline.objects.filter(pk__in=ids, reminder_sent_at__isnull=True).update(reminder_sent_at=timezone.now())
    if claimed != len(ids):
        raise ConcurrentTransition(f"Reminders of deadlines {ids} were already claimed.")
    deadlines = Deadline.objects.filter(pk__in=ids).order_by("remind_at", "id").prefetch_related("target", "recipients")
    for deadline in deadlines:
        rule = get_rule(deadline.rule)
        if rule is not None and rule.reminder_recipients is not None:
            recipients = list(rule.reminder_recipients(deadline))
        else:
            recipients = list(deadline.recipients.all())
        notification_create(
            recipients=recipients,
            verb=DEADLINE_REMINDER.code,
            target=deadline.target,
            url=target_url(deadline),
            context=notification_context(deadline, due=deadline.due_date.isoformat()),
        )


def _run_isolated(work: Callable[[list[int]], None], ids: list[int]) -> tuple[int, list[int]]:
    """Run ``work`` on the whole batch in one savepoint; if anything in it fails, roll the batch
    back and redo it one deadline per savepoint, so only the failing ones are left for later.

    An effect may thus run twice in Python, but only one run ever commits: that is why effects
    record anything outside the database (e-mails, PDFs) with delivery.effects.effect_record.
    """
    try:
        with transaction.atomic():
            work(ids)
        return len(ids), []
    except Exception:
        if len(ids) == 1:
            logger.exception("Deadline %s: %s failed; it will be retried by the next sweep", ids[0], work.__name__)
            return 0, ids
    done, failed = 0, []
    for pk in ids:
        try:
            with transaction.atomic():
                work([pk])
        except Exception:
            logger.exception("Deadline %s: %s failed; it will be retried by the next sweep", pk, work.__name__)
            failed.append(pk)
        else:
            done += 1
    return done, failed


def _process_in_batches(queryset, work, *, batch_size: int, result: SweepResult) -> int:
    """Lock a batch with FOR UPDATE SKIP LOCKED (rows another sweep holds are skipped), do the
    work, commit; repeat until no batch is full. A process killed mid-batch rolls back the
    uncommitted batch — claim and work together — so a re-run does each deadline exactly once."""
    done, failed = 0, []
    while True:
        with transaction.atomic():
            locked = queryset.exclude(pk__in=failed).select_for_update(skip_locked=True)
            ids = list(locked.values_list("pk", flat=True)[:batch_size])
            if ids:
                batch_done, batch_failed = _run_isolated(work, ids)
                done += batch_done
                failed += batch_failed
        if len(ids) < batch_size:
            break
    result.failed += len(failed)
    result.failed_ids.extend(failed)
    return done


def deadline_sweep(*, now: datetime | None = None, batch_size: int = 500) -> SweepResult:
    """Apply the effect of every open deadline that has run out, then send due reminders.

    Not one transaction: each batch commits on its own, so the work of a long sweep is kept
    if the process dies, and the cost follows the number of due deadlines (partial indexes).
    """
    now = now or timezone.now()
    result = SweepResult()
    codes = registered_codes()
    due = Deadline.objects.filter(status=DeadlineStatus.OPEN, due_at__lte=now, rule__in=codes).order_by("due_at", "id")
    result.applied = _process_in_batches(due, _expire_and_apply, batch_size=batch_size, result=result)
    reminders = Deadline.objects.filter(
        status=DeadlineStatus.OPEN, reminder_sent_at__isnull=True, remind_at__lte=now, due_at__gt=now
    ).order_by("remind_at", "id")
    result.reminded = _process_in_batches(reminders, _remind, batch_size=batch_size, result=result)
    unregistered = (
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_at__lte=now)
        .exclude(rule__in=codes)
        .values("rule")
        .annotate(count=Count("id"))
        .order_by("rule")
    )
    for row in unregistered:
        logger.warning("%s open deadline(s) of rule %r are due but no effect is registered", row["count"], row["rule"])
        result.unregistered += row["count"]
    return result
