"""Reads: deadlines for other apps' pages and the year calendar page."""

from __future__ import annotations

import calendar as month_calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .calendar import current_calendar, end_of_day, local_date
from .enums import DayKind, DeadlineStatus
from .explain import explain_basis
from .models import CalendarYear, Deadline


def deadline_list_for_target(*, target: models.Model) -> QuerySet[Deadline]:
    """Every deadline about one object (open and closed), soonest first."""
    return Deadline.objects.filter(target_type=ContentType.objects.get_for_model(target), target_id=target.pk).order_by(
        "due_at", "id"
    )


def deadline_list_upcoming(
    *, targets: QuerySet, now: datetime | None = None, within_days: int | None = None
) -> QuerySet[Deadline]:
    """Open deadlines about any object of ``targets`` (already filtered for the user), soonest first.

    One query whatever the number of targets: the targets queryset becomes a subquery. Overdue
    open deadlines (whose effect is not applied yet) are included, since they need attention most.
    """
    deadlines = Deadline.objects.filter(
        status=DeadlineStatus.OPEN,
        target_type=ContentType.objects.get_for_model(targets.model),
        target_id__in=targets.values("pk"),
    )
    if within_days is not None:
        today = local_date(now or timezone.now())
        deadlines = deadlines.filter(due_at__lte=end_of_day(today + timedelta(days=within_days)))
    return deadlines.order_by("due_at", "id")


# --- the year page -------------------------------------------------------------------------------
@dataclass(frozen=True)
class DayCell:
    day: date
    kind: str  # "holiday" | "makeup" | "weekend" | "workday": the CSS modifier
    name: str = ""
    is_today: bool = False
    provisional: bool = False  # a statutory holiday of a year not published yet


@dataclass
class MonthGrid:
    first: date
    weeks: list[list[DayCell | None]]


@dataclass
class HolidaySummary:
    name: str
    holidays: list[tuple[date, date]] = field(default_factory=list)  # ranges of consecutive days
    makeup_days: list[date] = field(default_factory=list)
    provisional: bool = False  # from the statutory rules, not from a published schedule


@dataclass
class YearCalendar:
    year: int
    published: bool
    source: str
    months: list[MonthGrid]
    summaries: list[HolidaySummary]
    working_days: int

    @property
    def provisional(self) -> bool:
        return not self.published


def _name(name_zh: str, name_en: str) -> str:
    return name_zh if (get_language() or "zh-hans").startswith("zh") else (name_en or name_zh)


def _summaries(calendar, year: int) -> list[HolidaySummary]:
    by_name: dict[str, HolidaySummary] = {}
    for exception in calendar.exceptions_between(date(year, 1, 1), date(year, 12, 31)):
        name = _name(exception.name_zh, exception.name_en)
        summary = by_name.setdefault(name, HolidaySummary(name=name, provisional=exception.provisional))
        if exception.kind == DayKind.MAKEUP_WORKDAY:
            summary.makeup_days.append(exception.day)
        elif summary.holidays and (exception.day - summary.holidays[-1][1]).days == 1:
            summary.holidays[-1] = (summary.holidays[-1][0], exception.day)
        else:
            summary.holidays.append((exception.day, exception.day))
    return list(by_name.values())


def calendar_year_get(*, year: int, today: date | None = None) -> YearCalendar:
    """Twelve Monday-first month grids of ``year`` from the cached calendar (no per-day queries)."""
    calendar = current_calendar()
    today = today or local_date(timezone.now())
    months = []
    for month in range(1, 13):
        weeks = []
        for week in month_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                exception = calendar.exception(day)
                provisional = exception is not None and exception.provisional
                if exception is not None:
                    kind, name = exception.kind, _name(exception.name_zh, exception.name_en)
                else:
                    kind, name = ("weekend" if day.weekday() >= 5 else "workday"), ""
                row.append(DayCell(day=day, kind=kind, name=name, is_today=day == today, provisional=provisional))
            weeks.append(row)
        months.append(MonthGrid(first=date(year, month, 1), weeks=weeks))
    calendar_year = CalendarYear.objects.filter(year=year).first()
    return YearCalendar(
        year=year,
        published=calendar.is_published(year),
        source=calendar_year.source if calendar_year else "",
        months=months,
        summaries=_summaries(calendar, year),
        working_days=calendar.working_days_between(date(year - 1, 12, 31), date(year, 12, 31)),
    )


def deadline_list_for_recipient(
    *, user, within_days: int = 30, limit: int = 10, now: datetime | None = None
) -> list[Deadline]:
    """Open deadlines the user is told about, due within ``within_days`` (overdue ones first).

    One query for the deadlines and one per kind of thing they are about.
    """
    today = local_date(now or timezone.now())
    deadlines = (
        Deadline.objects.filter(
            status=DeadlineStatus.OPEN, recipients=user, due_at__lte=end_of_day(today + timedelta(days=within_days))
        )
        .select_related("target_type")
        .prefetch_related("target")
        .order_by("due_at", "id")[:limit]
    )
    return list(deadlines)


# --- what a document states about a deadline ----------------------------------------------------
@dataclass(frozen=True)
class DeadlineStatement:
    """A deadline as a document (a PDF, sealed or not) states it: the last day and how it was
    counted, in every language of the site, with the provisional warning or the calendar
    correction when there is one."""

    due: date
    provisional: bool
    # language code → text, in settings.LANGUAGES order (Chinese first).
    explanations: dict[str, str]
    notes: dict[str, str]

    @property
    def lines(self) -> list[tuple[str, str, str]]:
        """(language code, explanation, note) for each language, for templates."""
        return [(code, text, self.notes.get(code, "")) for code, text in self.explanations.items()]


def _statement_note(deadline: Deadline) -> str:
    if deadline.fired_due_at is not None:
        return _("Fired under a provisional calendar (due %(fired)s); the correct end is %(due)s.") % {
            "fired": deadline.fired_due_date.isoformat(),
            "due": deadline.due_date.isoformat(),
        }
    if deadline.provisional:
        return _("Computed across a year whose official calendar is not published yet: the date may still change.")
    return ""


def deadline_statement(*, deadline: Deadline) -> DeadlineStatement:
    """The explanation of ``deadline`` in both languages, for any document that states its date
    (the change letter and reply PDFs, the deemed go-live confirmation, sealed documents)."""
    explanations, notes = {}, {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            explanations[code] = explain_basis(deadline.basis)
            notes[code] = _statement_note(deadline)
    return DeadlineStatement(
        due=deadline.due_date, provisional=deadline.provisional, explanations=explanations, notes=notes
    )
