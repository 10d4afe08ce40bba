"""The PRC working-day calendar and the deadline arithmetic every contractual clock runs on (SPEC §5).

A working day is Monday–Friday unless it is a statutory holiday, plus the weekend days officially
designated as make-up working days (调休). The exceptions live in the database (CalendarDay);
this module keeps one in-process snapshot of them so no computation queries the database per day.
The snapshot is rebuilt when the calendar services bump the version key in Django's cache, and
at most every SNAPSHOT_MAX_AGE seconds in any case, so other processes (the worker, other web
workers) pick up an admin's change even when the cache is per-process.

Counting follows the PRC Civil Code arts. 201–203: the start day is not counted, counting begins
the next day, and the period ends at 24:00 Asia/Shanghai of its last day. For a year whose
schedule is not published the calendar applies the statutory holidays of the 2024 rules
(deadlines.statutory: no make-up days guessed) and marks every result relying on it provisional.
"""

from __future__ import annotations

import bisect
import threading
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from time import monotonic
from zoneinfo import ZoneInfo

from django.utils import timezone

from delivery.cache import UNAVAILABLE, cache_get, cache_set

from .enums import Clock, DayKind
from .statutory import statutory_days

TZ = ZoneInfo("Asia/Shanghai")
# Support procedure: a request received before 12:00 on a working day is answered that day.
SUPPORT_CUTOFF = time(12, 0)
CACHE_KEY = "deadlines:calendar-version"
SNAPSHOT_MAX_AGE = 60.0
# No real calendar has a year of holidays; stop rather than loop on a broken one.
MAX_SEARCH_DAYS = 3660


@dataclass(frozen=True)
class DayException:
    day: date
    kind: str  # DayKind
    name_zh: str
    name_en: str
    # A statutory holiday of a year not yet published (the 2024 rules), not a day of a schedule.
    provisional: bool = False

    @property
    def is_holiday(self) -> bool:
        return self.kind == DayKind.HOLIDAY


@dataclass(frozen=True)
class Computation:
    """A computed due date and how it was reached: what the explanation and the stored flags use."""

    clock: str
    start: date  # the local day the clock started (not counted)
    working_days: int
    due_date: date  # the last day of the period; the deadline ends at its 24:00
    crossed: tuple[DayException, ...] = ()  # exceptions between the start and the due date
    provisional_years: tuple[int, ...] = ()  # unpublished years the computation relied on
    received_at: datetime | None = None  # support clock only
    same_day: bool = False  # support clock: received before the cut-off on a working day
    due_kind: str = field(default="")  # the due day's exception kind, "" for an ordinary weekday

    @property
    def provisional(self) -> bool:
        return bool(self.provisional_years)

    @property
    def due_at(self) -> datetime:
        return end_of_day(self.due_date)

    def basis(self) -> dict:
        """JSON-serialisable facts, stored on the deadline to explain it later in any language."""
        return {
            "clock": str(self.clock),
            "start": self.start.isoformat(),
            "received_at": self.received_at.astimezone(TZ).isoformat() if self.received_at else None,
            "n": self.working_days,
            "due": self.due_date.isoformat(),
            "due_kind": str(self.due_kind),
            "same_day": self.same_day,
            "exceptions": [
                [e.day.isoformat(), str(e.kind), e.name_zh, e.name_en, *(["provisional"] if e.provisional else [])]
                for e in self.crossed
            ],
            "provisional_years": list(self.provisional_years),
        }


def local_date(moment: datetime) -> date:
    """The Asia/Shanghai calendar day of an aware datetime."""
    if moment.tzinfo is None:
        raise ValueError("Expected a timezone-aware datetime; got a naive one.")
    return moment.astimezone(TZ).date()


def end_of_day(day: date) -> datetime:
    """24:00 of ``day`` in Asia/Shanghai, i.e. 00:00 of the next day."""
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=TZ)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=TZ)


def _as_day(value: date) -> date:
    if isinstance(value, datetime):
        return local_date(value) if value.tzinfo is not None else value.date()
    return value


def _check_n(n: int) -> None:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"The number of working days must be an integer; got {n!r}.")
    if n <= 0:
        raise ValueError(
            f"The number of working days must be at least 1 (the start day itself is never counted); got {n}."
        )


class Calendar:
    """An immutable snapshot of the calendar: exceptions by date and the set of published years.

    An unpublished year's statutory holidays (deadlines.statutory) are exceptions too, flagged
    provisional; a stored row of that year (an admin's early edit) takes precedence on its date.
    """

    def __init__(self, exceptions: dict[date, DayException], published_years: frozenset[int] | set[int]) -> None:
        self._exceptions = dict(exceptions)
        self._dates = sorted(self._exceptions)
        self._published = frozenset(published_years)
        # year → that unpublished year's statutory days, computed on first use (the snapshot's
        # contents never change, so a benign race only computes the same dict twice).
        self._statutory: dict[int, dict[date, DayException]] = {}

    def _provisional_days(self, year: int) -> dict[date, DayException]:
        days = self._statutory.get(year)
        if days is None:
            days = {
                spec.date: DayException(
                    day=spec.date, kind=spec.kind, name_zh=spec.name_zh, name_en=spec.name_en, provisional=True
                )
                for spec in statutory_days(year)
                if spec.date not in self._exceptions
            }
            self._statutory[year] = days
        return days

    @classmethod
    def from_db(cls) -> Calendar:
        from .models import CalendarDay, CalendarYear  # noqa: PLC0415 (a cycle: deadlines.models imports this module)

        exceptions = {
            day: DayException(day=day, kind=kind, name_zh=name_zh, name_en=name_en)
            for day, kind, name_zh, name_en in CalendarDay.objects.values_list("date", "kind", "name_zh", "name_en")
        }
        published = set(CalendarYear.objects.filter(published=True).values_list("year", flat=True))
        return cls(exceptions, published)

    # --- single days -------------------------------------------------------------------------
    def exception(self, day: date) -> DayException | None:
        exception = self._exceptions.get(day)
        if exception is None and day.year not in self._published:
            exception = self._provisional_days(day.year).get(day)
        return exception

    def is_working_day(self, day: date) -> bool:
        exception = self.exception(day)
        if exception is not None:
            return exception.kind == DayKind.MAKEUP_WORKDAY
        return day.weekday() < 5

    def is_published(self, year: int) -> bool:
        return year in self._published

    @property
    def published_years(self) -> frozenset[int]:
        return self._published

    def exceptions_between(self, first: date, last: date) -> tuple[DayException, ...]:
        """Exceptions on the days first..last, both included, in date order."""
        low = bisect.bisect_left(self._dates, first)
        high = bisect.bisect_right(self._dates, last)
        stored = [self._exceptions[day] for day in self._dates[low:high]]
        provisional = [
            exception
            for year in self.provisional_years(first, last)
            for day, exception in self._provisional_days(year).items()
            if first <= day <= last
        ]
        if not provisional:
            return tuple(stored)
        return tuple(sorted(stored + provisional, key=lambda exception: exception.day))

    def provisional_years(self, first: date, last: date) -> tuple[int, ...]:
        """Years among first..last whose calendar is not published (statutory days only, provisional)."""
        return tuple(year for year in range(first.year, last.year + 1) if year not in self._published)

    # --- counting ----------------------------------------------------------------------------
    def add_working_days_detail(self, start: date, n: int) -> Computation:
        start = _as_day(start)
        _check_n(n)
        day, counted = start, 0
        while counted < n:
            day += timedelta(days=1)
            if (day - start).days > MAX_SEARCH_DAYS + n:
                raise ValueError(f"No working day found within {MAX_SEARCH_DAYS} days after {start}.")
            if self.is_working_day(day):
                counted += 1
        return self._computation(Clock.WORKING_DAYS, start=start, first=start + timedelta(days=1), due=day, n=n)

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 when end is not after start."""
        start, end = _as_day(start), _as_day(end)
        if end <= start:
            return 0
        days = (end - start).days
        count = (days // 7) * 5
        for offset in range(days - days % 7 + 1, days + 1):
            if (start + timedelta(days=offset)).weekday() < 5:
                count += 1
        for exception in self.exceptions_between(start + timedelta(days=1), end):
            weekday = exception.day.weekday() < 5
            if exception.is_holiday and weekday:
                count -= 1
            elif not exception.is_holiday and not weekday:
                count += 1
        return count

    def previous_working_day(self, day: date) -> date:
        for back in range(1, MAX_SEARCH_DAYS):
            candidate = day - timedelta(days=back)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError(f"No working day found within {MAX_SEARCH_DAYS} days before {day}.")

    def deadline_detail(self, start: datetime, n: int) -> Computation:
        if isinstance(start, datetime) and start.tzinfo is None:
            raise ValueError("deadline_at() needs a timezone-aware start; got a naive datetime.")
        return self.add_working_days_detail(_as_day(start), n)

    def support_response_detail(self, received_at: datetime) -> Computation:
        if received_at.tzinfo is None:
            raise ValueError("support_response_due() needs a timezone-aware time; got a naive datetime.")
        local = received_at.astimezone(TZ)
        received_day = local.date()
        if self.is_working_day(received_day) and local.time() < SUPPORT_CUTOFF:
            due, n, same_day = received_day, 0, True
        else:
            due, n, same_day = self.add_working_days_detail(received_day, 1).due_date, 1, False
        return self._computation(
            Clock.SUPPORT_RESPONSE,
            start=received_day,
            first=received_day,
            due=due,
            n=n,
            received_at=received_at,
            same_day=same_day,
        )

    def support_table_detail(self, received_at: datetime, n: int, *, cutoff: bool = True) -> Computation:
        """The support procedure's tables: due on the ``n``-th working day, the request's own day
        counted as the 1st when it is a working day and (with ``cutoff``) the request came before
        12:00; otherwise counting starts the next working day, i.e. one working day later."""
        if received_at.tzinfo is None:
            raise ValueError("support_table_detail() needs a timezone-aware time; got a naive datetime.")
        _check_n(n)
        local = received_at.astimezone(TZ)
        received_day = local.date()
        counts_today = self.is_working_day(received_day) and (not cutoff or local.time() < SUPPORT_CUTOFF)
        steps = n - 1 if counts_today else n
        due = received_day if steps == 0 else self.add_working_days_detail(received_day, steps).due_date
        return self._computation(
            Clock.SUPPORT_CUTOFF if cutoff else Clock.SUPPORT_FIXED,
            start=received_day,
            first=received_day,
            due=due,
            n=n,
            received_at=received_at,
            same_day=counts_today,
        )

    def compute(self, *, clock: str, started_at: datetime, working_days: int) -> Computation:
        """Recompute a stored deadline from its inputs (used when the calendar changes)."""
        if clock == Clock.SUPPORT_RESPONSE:
            return self.support_response_detail(started_at)
        if clock in (Clock.SUPPORT_CUTOFF, Clock.SUPPORT_FIXED):
            return self.support_table_detail(started_at, working_days, cutoff=clock == Clock.SUPPORT_CUTOFF)
        return self.deadline_detail(started_at, working_days)

    def _computation(self, clock: str, *, start: date, first: date, due: date, n: int, **extra) -> Computation:
        due_exception = self.exception(due)
        return Computation(
            clock=clock,
            start=start,
            working_days=n,
            due_date=due,
            crossed=self.exceptions_between(first, due),
            provisional_years=self.provisional_years(first, due),
            due_kind=due_exception.kind if due_exception else "",
            **extra,
        )


# --- the process-wide snapshot ------------------------------------------------------------------
_snapshot_lock = threading.Lock()
# (calendar, shared version it was built for, built at, version last confirmed at)
_snapshot: tuple[Calendar, object, float, float] | None = None
# Other processes' calendar edits are noticed within this many seconds; checking the shared cache
# on every call would cost a cache round-trip per deadline shown on a page.
VERSION_CHECK_SECONDS = 1.0


def current_calendar() -> Calendar:
    """The cached calendar; rebuilt after calendar_invalidate() or SNAPSHOT_MAX_AGE seconds."""
    global _snapshot
    snapshot, now = _snapshot, monotonic()
    if snapshot is not None and now - snapshot[2] < SNAPSHOT_MAX_AGE:
        calendar, version, built, checked = snapshot
        if now - checked < VERSION_CHECK_SECONDS:
            return calendar
        shared = cache_get(CACHE_KEY)
        # Cache down: keep the snapshot until SNAPSHOT_MAX_AGE, then rebuild it from the database.
        if shared is UNAVAILABLE or shared == version:
            _snapshot = (calendar, version, built, now)
            return calendar
    with _snapshot_lock:
        version, snapshot = cache_get(CACHE_KEY), _snapshot
        if snapshot is not None and snapshot[1] == version and monotonic() - snapshot[2] < SNAPSHOT_MAX_AGE:
            return snapshot[0]  # another thread rebuilt it while this one waited
        calendar = Calendar.from_db()
        _snapshot = (calendar, version, monotonic(), monotonic())
    return calendar


def current_calendar_version() -> str:
    """The shared version the current snapshot was built for: a cache key for anything drawn
    from the calendar alone (the year page), changed by every calendar_invalidate()."""
    current_calendar()
    snapshot = _snapshot
    return str(snapshot[1]) if snapshot is not None else ""


def calendar_invalidate() -> None:
    """Forget the snapshot here and, through the shared cache key, in every process that shares it."""
    global _snapshot
    _snapshot = None
    # With the cache down, other processes see the edit within SNAPSHOT_MAX_AGE.
    cache_set(CACHE_KEY, uuid.uuid4().hex, timeout=None)


# --- the public functions other apps call ------------------------------------------------------
def is_working_day(day: date) -> bool:
    return current_calendar().is_working_day(_as_day(day))


def add_working_days(start: date, n: int) -> date:
    """The n-th working day after ``start`` (the start day is not counted; Civil Code art. 201)."""
    return current_calendar().add_working_days_detail(start, n).due_date


def add_working_days_detail(start: date, n: int) -> Computation:
    return current_calendar().add_working_days_detail(start, n)


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]."""
    return current_calendar().working_days_between(start, end)


def deadline_at(start: datetime, n: int) -> datetime:
    """24:00 Asia/Shanghai of the n-th working day after the start's local date."""
    return current_calendar().deadline_detail(start, n).due_at


def deadline_at_detail(start: datetime, n: int) -> Computation:
    return current_calendar().deadline_detail(start, n)


def support_response_due(received_at: datetime) -> datetime:
    """Before 12:00 on a working day: end of that day; otherwise end of the next working day."""
    return current_calendar().support_response_detail(received_at).due_at


def support_response_due_detail(received_at: datetime) -> Computation:
    return current_calendar().support_response_detail(received_at)


def provisional_years(start: date, end: date) -> tuple[int, ...]:
    """Unpublished years among start..end: a result relying on them is provisional."""
    return current_calendar().provisional_years(_as_day(start), _as_day(end))


def is_year_published(year: int) -> bool:
    return current_calendar().is_published(year)


def day_exception(day: date) -> DayException | None:
    return current_calendar().exception(_as_day(day))


def working_days_left(due_at: datetime, now: datetime | None = None) -> int:
    """Whole working days after today up to the due day; 0 on the due day itself and once overdue."""

    now = now or timezone.now()
    if now >= due_at:
        return 0
    return working_days_between(local_date(now), local_date(due_at - timedelta(microseconds=1)))
