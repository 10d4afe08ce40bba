"""Writes: opening and closing deadlines, the sweep that enforces them, and calendar edits.

Exactly-once (SPEC §5): the sweep claims each due deadline with SELECT … FOR UPDATE SKIP LOCKED
inside a transaction that also runs the rule's effect, so two sweeps never take the same row, a
failing effect rolls back its own claim (savepoint) and a killed sweep rolls back the unfinished
batch. Reminders are claimed the same way through ``reminder_sent_at``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition
from django_fsm_log.models import StateLog

from notifications.services import in_each_language, notification_create

from .calendar import (
    TZ,
    Calendar,
    Computation,
    calendar_invalidate,
    current_calendar,
    end_of_day,
    local_date,
    start_of_day,
)
from .clocks import clock_length, clock_spec
from .enums import Clock, CorrectionOutcome, DayKind, DeadlineStatus, RuleCode
from .hooks import get_rule, registered_codes
from .models import CalendarDay, CalendarYear, Deadline, DeadlineChange
from .sources import DaySpec
from .verbs import CORRECTION_VERBS, DEADLINE_CORRECTION_REVIEW, DEADLINE_MOVED, DEADLINE_REMINDER

logger = logging.getLogger(__name__)


# --- opening and closing deadlines -------------------------------------------------------------
def _remind_at(calendar: Calendar, computation: Computation, started_at: datetime) -> datetime | None:
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
        remind_at=_remind_at(calendar, computation, started_at),
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


def _notification_context(deadline: Deadline, **extra: str) -> dict:
    # Stored in every language: each reader sees the rule and its object in their own.
    return {
        "rule": in_each_language(deadline.get_rule_display),
        "target": in_each_language(lambda: _describe(deadline)),
        **extra,
    }


def _target_url(deadline: Deadline) -> str:
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
            url=_target_url(deadline),
            context=_notification_context(deadline, due=deadline.due_date.isoformat()),
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


# --- calendar edits ---------------------------------------------------------------------------
@dataclass
class CalendarChangeResult:
    year: int | None = None
    added: list[DaySpec] = field(default_factory=list)
    removed: list[DaySpec] = field(default_factory=list)
    changed: list[tuple[DaySpec, DaySpec]] = field(default_factory=list)  # (old, new)
    published_changed: bool = False
    moved: list[DeadlineChange] = field(default_factory=list)

    @property
    def dates(self) -> list[date]:
        return sorted({spec.date for spec in self.added + self.removed} | {new.date for _old, new in self.changed})


def _spec(row: CalendarDay) -> DaySpec:
    return DaySpec(date=row.date, kind=row.kind, name_zh=row.name_zh, name_en=row.name_en)


def _validate_specs(days: Sequence[DaySpec], year: int | None = None) -> None:
    seen: set[date] = set()
    for spec in days:
        if spec.kind not in DayKind.values:
            raise ValueError(f"{spec.date}: unknown kind {spec.kind!r}; expected one of {', '.join(DayKind.values)}.")
        if year is not None and spec.date.year != year:
            raise ValueError(f"{spec.date} is not in {year}.")
        if spec.date in seen:
            raise ValueError(f"{spec.date} is listed twice.")
        if not spec.name_zh.strip():
            raise ValueError(f"{spec.date}: a name is required.")
        seen.add(spec.date)


def _calendar_changed(*, first: date, last: date, reason: str) -> list[DeadlineChange]:
    """Re-compute the open and the fired deadlines whose window [start day, due day] meets first..last.

    Open ones move; fired (expired) ones are corrected (see _deadline_correct). Called inside the
    transaction that changed the calendar, so a fresh snapshot built here sees the change; the
    process-wide snapshot is invalidated now and again after commit.
    """
    calendar_invalidate()
    transaction.on_commit(calendar_invalidate)
    calendar = Calendar.from_db()
    candidates = (
        Deadline.objects.select_for_update()
        .filter(
            status__in=[DeadlineStatus.OPEN, DeadlineStatus.EXPIRED],
            started_at__lt=end_of_day(last),
            due_at__gt=start_of_day(first),
        )
        .order_by("due_at", "id")
        .prefetch_related("target", "recipients")
    )
    changes: list[DeadlineChange] = []
    for deadline in candidates:
        if deadline.status == DeadlineStatus.EXPIRED:
            change = _deadline_correct(deadline, calendar=calendar, reason=reason)
        else:
            change = _deadline_recompute(deadline, calendar=calendar, reason=reason)
        if change is not None:
            changes.append(change)
    return changes


def _people(deadline: Deadline) -> list:
    """Both sides' people the rule concerns (a change reply: the vendor PM and the customer lead who filed it)."""
    rule = get_rule(deadline.rule)
    if rule is not None and rule.people is not None:
        return [user for user in rule.people(deadline) if user is not None]
    return list(deadline.recipients.all())


def _due_day(moment: datetime) -> date:
    return local_date(moment - timedelta(microseconds=1))


def _apply_computation(deadline: Deadline, calendar: Calendar, computation: Computation) -> None:
    deadline.basis = computation.basis()
    deadline.due_at = computation.due_at
    deadline.provisional = computation.provisional
    deadline.remind_at = _remind_at(calendar, computation, deadline.started_at)
    if deadline.remind_at is not None and deadline.remind_at > timezone.now():
        deadline.reminder_sent_at = None  # moved later: remind again before the new date


def _deadline_recompute(deadline: Deadline, *, calendar: Calendar, reason: str) -> DeadlineChange | None:
    if deadline.basis.get("admin_correction"):
        return None  # an admin set this date by hand, with a reason (deadlines.corrections)
    computation = calendar.compute(
        clock=deadline.clock, started_at=deadline.started_at, working_days=deadline.working_days
    )
    old_due, old_provisional = deadline.due_at, deadline.provisional
    if computation.due_at == old_due and computation.provisional == old_provisional:
        deadline.basis = computation.basis()
        deadline.save(update_fields=["basis"])
        return None
    _apply_computation(deadline, calendar, computation)
    deadline.save(update_fields=["basis", "due_at", "provisional", "remind_at", "reminder_sent_at"])
    change = DeadlineChange.objects.create(
        deadline=deadline,
        old_due_at=old_due,
        new_due_at=deadline.due_at,
        old_provisional=old_provisional,
        new_provisional=deadline.provisional,
        reason=reason[:300],
    )
    if computation.due_at != old_due:
        notification_create(
            recipients=_people(deadline),
            verb=DEADLINE_MOVED.code,
            target=deadline.target,
            url=_target_url(deadline),
            context=_notification_context(
                deadline, due=deadline.due_date.isoformat(), old_due=_due_day(old_due).isoformat()
            ),
        )
    return change


def _correction_outcome(deadline: Deadline, *, fired_at: datetime) -> str:
    """What the rule lets a correction do with an effect that fired at ``fired_at``; the deadline's
    due_at is already the correct end."""
    if deadline.due_at <= fired_at:
        return CorrectionOutcome.STANDS  # fired at or after the correct end: it was due anyway
    rule = get_rule(deadline.rule)
    if rule is None or rule.irreversible:
        return CorrectionOutcome.ADMIN_REVIEW
    if rule.withdraw is None:
        return CorrectionOutcome.STANDS
    return CorrectionOutcome(rule.withdraw(deadline))


def _deadline_correct(deadline: Deadline, *, calendar: Calendar, reason: str) -> DeadlineChange | None:
    """A fired deadline on a changed calendar (SPEC §5): marked "fired under a provisional calendar;
    the correct end is …"; when that end is later than the firing, the rule's effect is withdrawn
    where the rule allows (the deadline then runs again, or is met) and otherwise stands or is
    flagged for the administrator, never reversed. Both sides' people are told."""
    computation = calendar.compute(
        clock=deadline.clock, started_at=deadline.started_at, working_days=deadline.working_days
    )
    old_due, old_provisional = deadline.due_at, deadline.provisional
    if computation.due_at == old_due:
        deadline.basis = computation.basis()
        deadline.provisional = computation.provisional  # the date it fired at is confirmed (or not)
        deadline.save(update_fields=["basis", "provisional"])
        return None
    fired_at = deadline.applied_at or old_due
    _apply_computation(deadline, calendar, computation)
    deadline.fired_due_at = deadline.fired_due_at or old_due
    outcome = _correction_outcome(deadline, fired_at=fired_at)
    if outcome == CorrectionOutcome.WITHDRAWN:
        deadline.reopen()
    elif outcome == CorrectionOutcome.WITHDRAWN_MET:
        deadline.correct_to_met(at=timezone.now())
    deadline.correction = outcome
    deadline.save()
    rule = get_rule(deadline.rule)
    change = DeadlineChange.objects.create(
        deadline=deadline,
        old_due_at=old_due,
        new_due_at=deadline.due_at,
        old_provisional=old_provisional,
        new_provisional=deadline.provisional,
        reason=reason[:300],
        fired_at=fired_at,
        outcome=outcome,
        clause=rule.clause if rule is not None else "",
    )
    _correction_notify(deadline, change)
    return change


def _correction_notify(deadline: Deadline, change: DeadlineChange) -> None:
    context = _notification_context(
        deadline,
        due=deadline.due_date.isoformat(),
        old_due=_due_day(change.old_due_at).isoformat(),
        fired=change.fired_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M"),
        clause=change.clause or "—",
    )
    verb = CORRECTION_VERBS[change.outcome]
    common = {"verb": verb.code, "target": deadline.target, "url": _target_url(deadline), "context": context}
    notification_create(recipients=_people(deadline), **common)
    if change.outcome == CorrectionOutcome.ADMIN_REVIEW:
        admins = get_user_model().objects.filter(is_superuser=True, is_active=True)
        notification_create(
            recipients=admins,
            verb=DEADLINE_CORRECTION_REVIEW.code,
            target=deadline.target,
            url=reverse("admin:deadlines_calendarcorrection_change", args=[change.pk]),
            context=context,
        )


@transaction.atomic
def calendar_correction_review(*, correction: DeadlineChange, user: AbstractBaseUser, note: str) -> DeadlineChange:
    """The administrator records how a flagged correction was dealt with (nothing is reversed here)."""
    if not getattr(user, "is_staff", False):
        raise PermissionDenied
    correction = DeadlineChange.objects.select_for_update().get(pk=correction.pk)
    if correction.outcome != CorrectionOutcome.ADMIN_REVIEW:
        raise ValueError("Only a correction flagged for the administrator is reviewed.")
    if correction.reviewed_at is not None:
        raise ValueError("This correction has already been reviewed.")
    if not note.strip():
        raise ValueError("A note on what was done is required.")
    correction.reviewed_at = timezone.now()
    correction.reviewed_by = user
    correction.review_note = note.strip()
    correction.save(update_fields=["reviewed_at", "reviewed_by", "review_note"])
    return correction


@transaction.atomic
def calendar_year_load(*, year: int, days: Sequence[DaySpec], source: str) -> CalendarChangeResult:
    """Replace a year's exceptions with ``days`` and mark the year published (its schedule is out).

    Open deadlines whose window the changed dates touch — or, when the year was not published
    before, that reach into the year at all — are re-computed and their people notified.
    """
    _validate_specs(days, year)
    result = CalendarChangeResult(year=year)
    existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(year=year)}
    wanted = {spec.date: spec for spec in days}
    for day, row in existing.items():
        if day not in wanted:
            result.removed.append(_spec(row))
        elif _spec(row) != wanted[day]:
            result.changed.append((_spec(row), wanted[day]))
    result.added = [spec for day, spec in sorted(wanted.items()) if day not in existing]
    result.removed.sort(key=lambda spec: spec.date)

    CalendarDay.objects.filter(year=year, date__in=[spec.date for spec in result.removed]).delete()
    for _old, new in result.changed:
        CalendarDay.objects.filter(date=new.date).update(
            kind=new.kind, name_zh=new.name_zh, name_en=new.name_en, source=source, updated_at=timezone.now()
        )
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(date=s.date, kind=s.kind, name_zh=s.name_zh, name_en=s.name_en, year=year, source=source)
            for s in result.added
        ]
    )
    calendar_year, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    result.published_changed = not calendar_year.published
    calendar_year.published = True
    calendar_year.source = source[:200]
    calendar_year.loaded_at = timezone.now()
    calendar_year.save()

    if result.published_changed:
        first, last = date(year, 1, 1), date(year, 12, 31)
    elif result.dates:
        first, last = result.dates[0], result.dates[-1]
    else:
        return result
    result.moved = _calendar_changed(first=first, last=last, reason=f"calendar {year} loaded from {source}")
    return result


@transaction.atomic
def calendar_day_save(
    *, day: date, kind: str, name_zh: str, name_en: str = "", source: str = "admin"
) -> tuple[CalendarDay, list[DeadlineChange]]:
    """Create or change one exception (the admin's path) and re-compute the deadlines it moves."""
    _validate_specs([DaySpec(date=day, kind=kind, name_zh=name_zh, name_en=name_en)])
    row, _created = CalendarDay.objects.update_or_create(
        date=day,
        defaults={"kind": kind, "name_zh": name_zh, "name_en": name_en, "year": day.year, "source": source},
    )
    moved = _calendar_changed(first=day, last=day, reason=f"calendar day {day.isoformat()} set by {source}")
    return row, moved


@transaction.atomic
def calendar_day_delete(*, day: date, source: str = "admin") -> list[DeadlineChange]:
    CalendarDay.objects.filter(date=day).delete()
    return _calendar_changed(first=day, last=day, reason=f"calendar day {day.isoformat()} removed by {source}")


@transaction.atomic
def calendar_year_save(*, year: int, published: bool, source: str) -> tuple[CalendarYear, list[DeadlineChange]]:
    """Publishing (or withdrawing) a year changes whether deadlines reaching into it are provisional."""
    calendar_year, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
    was_published = calendar_year.published
    calendar_year.published = published
    calendar_year.source = source[:200]
    calendar_year.save()
    if was_published == published:
        return calendar_year, []
    state = "published" if published else "withdrawn"
    reason = f"calendar {year} {state} ({source})"
    return calendar_year, _calendar_changed(first=date(year, 1, 1), last=date(year, 12, 31), reason=reason)
