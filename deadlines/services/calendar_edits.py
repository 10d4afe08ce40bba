"""Writes: calendar edits (a year loaded, a day saved or deleted) and the deadlines they move
or correct, with the reviews of those corrections."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notification_create

from ..calendar import (
    TZ,
    Calendar,
    Computation,
    calendar_invalidate,
    end_of_day,
    local_date,
    start_of_day,
)
from ..enums import CorrectionOutcome, DayKind, DeadlineStatus
from ..hooks import get_rule
from ..models import CalendarDay, CalendarYear, Deadline, DeadlineChange
from ..sources import DaySpec
from ..verbs import CORRECTION_VERBS, DEADLINE_CORRECTION_REVIEW, DEADLINE_MOVED
from .deadlines import notification_context, remind_at, target_url


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
    deadline.remind_at = remind_at(calendar, computation, deadline.started_at)
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
            url=target_url(deadline),
            context=notification_context(
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
    context = notification_context(
        deadline,
        due=deadline.due_date.isoformat(),
        old_due=_due_day(change.old_due_at).isoformat(),
        fired=change.fired_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M"),
        clause=change.clause or "—",
    )
    verb = CORRECTION_VERBS[change.outcome]
    common = {"verb": verb.code, "target": deadline.target, "url": target_url(deadline), "context": context}
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
