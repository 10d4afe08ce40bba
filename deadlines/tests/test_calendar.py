"""The calendar functions against the official 2025–2026 schedules (State Council notices, as
shipped in chinese-calendar 1.11.0). 2026 make-up working days: 01-04, 02-14, 02-28, 05-09,
09-20, 10-10; 2025: 01-26, 02-08, 04-27, 09-28, 10-11. 2027 is not published."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from deadlines.calendar import (
    TZ,
    add_working_days,
    add_working_days_detail,
    deadline_at,
    deadline_at_detail,
    is_working_day,
    provisional_years,
    support_response_due,
    support_response_due_detail,
    working_days_between,
    working_days_left,
)
from deadlines.explain import explain_basis

pytestmark = pytest.mark.django_db

D = date.fromisoformat


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


@pytest.mark.parametrize(
    ("start", "n", "expected", "provisional"),
    [
        # Spring Festival 2025: off 01-28..02-04, make-up Sunday 01-26 and Saturday 02-08.
        ("2025-01-24", 1, "2025-01-26", False),
        ("2025-01-24", 2, "2025-01-27", False),
        ("2025-01-27", 1, "2025-02-05", False),
        ("2025-02-07", 1, "2025-02-08", False),
        # Spring Festival 2026: off 02-15..02-23, make-up Saturdays 02-14 and 02-28.
        ("2026-02-12", 2, "2026-02-14", False),
        ("2026-02-13", 2, "2026-02-24", False),
        ("2026-02-13", 6, "2026-02-28", False),
        # May Day 2025: off 05-01..05-05, make-up Sunday 04-27.
        ("2025-04-25", 1, "2025-04-27", False),
        ("2025-04-30", 1, "2025-05-06", False),
        # May Day 2026: off 05-01..05-05, make-up Saturday 05-09.
        ("2026-04-30", 1, "2026-05-06", False),
        ("2026-05-06", 3, "2026-05-09", False),
        ("2026-05-08", 1, "2026-05-09", False),
        # National Day 2025: off 10-01..10-08, make-up Sunday 09-28 and Saturday 10-11.
        ("2025-09-26", 1, "2025-09-28", False),
        ("2025-09-30", 3, "2025-10-11", False),
        # Mid-autumn and National Day 2026: off 09-25..09-27 and 10-01..10-07, make-up 09-20 and 10-10.
        ("2026-09-18", 1, "2026-09-20", False),
        ("2026-09-24", 1, "2026-09-28", False),
        ("2026-09-28", 5, "2026-10-10", False),  # the lead's worked example
        ("2026-09-30", 1, "2026-10-08", False),
        # A start on a holiday: counting begins the next day, holidays skipped.
        ("2026-10-03", 1, "2026-10-08", False),
        ("2026-10-01", 3, "2026-10-10", False),
        # A start on a make-up Saturday: that day is the start, not counted.
        ("2026-10-10", 1, "2026-10-12", False),
        ("2026-05-09", 1, "2026-05-11", False),
        ("2026-02-14", 1, "2026-02-24", False),
        # New Year 2026: off 01-01..01-03, make-up Sunday 01-04.
        ("2025-12-31", 1, "2026-01-04", False),
        # Year end into unpublished 2027: the statutory 元旦 01-01 is a rest day, provisional.
        ("2026-12-29", 2, "2026-12-31", False),
        ("2026-12-31", 1, "2027-01-04", True),
        ("2026-12-30", 3, "2027-01-05", True),
    ],
)
def test_add_working_days_official_answers(start, n, expected, provisional):
    detail = add_working_days_detail(D(start), n)

    assert add_working_days(D(start), n) == D(expected)
    assert detail.due_date == D(expected)
    assert detail.provisional is provisional


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2026-10-10", True),  # make-up Saturday
        ("2026-10-11", False),
        ("2026-09-20", True),  # make-up Sunday
        ("2026-10-01", False),
        ("2026-10-08", True),
        ("2026-02-14", True),
        ("2026-02-23", False),  # a Monday inside Spring Festival
        ("2026-05-09", True),
        ("2025-01-26", True),
        ("2025-10-06", False),  # Mid-autumn inside National Day 2025
        ("2027-01-01", False),  # unpublished: the statutory 元旦, provisional
        ("2027-01-04", True),  # no make-up day is guessed
        ("2027-01-02", False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(D(day)) is working


def test_every_published_day_matches_the_package():
    """The database, not the package, answers; both must agree on every day 2004–2026."""
    day, mismatches = date(2004, 1, 1), []
    while day <= date(2026, 12, 31):
        if is_working_day(day) != chinese_calendar.is_workday(day):
            mismatches.append(day)
        day += timedelta(days=1)

    assert mismatches == []


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2026-09-28", "2026-10-10", 5),
        ("2026-09-28", "2026-09-28", 0),
        ("2026-10-10", "2026-09-28", 0),
        ("2026-09-30", "2026-10-08", 1),
        ("2026-02-13", "2026-02-28", 6),
        ("2025-12-31", "2026-12-31", 248),
        ("2024-12-31", "2025-12-31", 248),
        ("2026-12-31", "2027-01-08", 5),
    ],
)
def test_working_days_between(start, end, expected):
    assert working_days_between(D(start), D(end)) == expected


def test_working_days_between_agrees_with_adding():
    start = date(2025, 1, 1)
    for n in range(1, 400):
        assert working_days_between(start, add_working_days(start, n)) == n


def test_working_days_between_year_counts_match_package():
    for year in (2025, 2026):
        expected = len(chinese_calendar.get_workdays(date(year, 1, 1), date(year, 12, 31)))
        assert working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == expected


def test_deadline_at_worked_example_ends_at_midnight_after_makeup_saturday():
    detail = deadline_at_detail(at("2026-09-28T10:00"), 5)

    assert deadline_at(at("2026-09-28T10:00"), 5) == datetime(2026, 10, 11, 0, 0, tzinfo=TZ)
    assert detail.due_kind == "makeup"
    assert detail.provisional is False


def test_deadline_at_uses_the_local_date_of_a_utc_start():
    # 2026-09-27 17:30 UTC is Monday 2026-09-28 01:30 in Shanghai.
    start = datetime.fromisoformat("2026-09-27T17:30:00+00:00")

    assert deadline_at(start, 5) == datetime(2026, 10, 11, 0, 0, tzinfo=TZ)


def test_deadline_at_late_evening_start_counts_from_next_day():
    assert deadline_at(at("2026-09-28T23:59"), 1) == datetime(2026, 9, 30, 0, 0, tzinfo=TZ)


def test_deadline_at_rejects_naive_start():
    with pytest.raises(ValueError, match="timezone-aware"):
        deadline_at(datetime(2026, 9, 28, 10, 0), 5)


@pytest.mark.parametrize("n", [0, -1, -15])
def test_non_positive_working_days_rejected(n):
    message = rf"must be at least 1 \(the start day itself is never counted\); got {n}\."
    with pytest.raises(ValueError, match=message):
        add_working_days(date(2026, 9, 28), n)
    with pytest.raises(ValueError, match=message):
        deadline_at(at("2026-09-28T10:00"), n)


@pytest.mark.parametrize(
    ("received", "due", "same_day"),
    [
        ("2026-09-28T11:59:59", "2026-09-29T00:00", True),  # Monday, just before noon
        ("2026-09-28T12:00:00", "2026-09-30T00:00", False),  # noon itself is not "before 12:00"
        ("2026-09-28T12:00:01", "2026-09-30T00:00", False),
        ("2026-09-28T00:00:00", "2026-09-29T00:00", True),
        ("2026-10-10T09:00:00", "2026-10-11T00:00", True),  # make-up Saturday morning
        ("2026-10-10T14:00:00", "2026-10-13T00:00", False),  # make-up Saturday afternoon → Monday
        ("2026-10-17T09:00:00", "2026-10-20T00:00", False),  # ordinary Saturday → Monday
        ("2026-10-02T10:00:00", "2026-10-09T00:00", False),  # holiday → first day back
        ("2026-09-30T15:00:00", "2026-10-09T00:00", False),  # before National Day
        ("2026-09-19T10:00:00", "2026-09-21T00:00", False),  # Saturday before make-up Sunday 09-20
    ],
)
def test_support_response_due_noon_cutoff(received, due, same_day):
    detail = support_response_due_detail(at(received))

    assert support_response_due(at(received)) == at(due)
    assert detail.same_day is same_day
    assert detail.provisional is False


def test_support_response_after_noon_on_new_years_eve_is_provisional():
    detail = support_response_due_detail(at("2026-12-31T15:00"))

    assert detail.due_at == at("2027-01-05T00:00")
    assert detail.provisional_years == (2027,)


def test_provisional_years():
    assert provisional_years(date(2026, 12, 1), date(2027, 2, 1)) == (2027,)
    assert provisional_years(date(2025, 1, 1), date(2026, 12, 31)) == ()


def test_working_days_left_counts_after_today():
    due = deadline_at(at("2026-09-28T10:00"), 5)

    assert working_days_left(due, now=at("2026-09-28T10:00")) == 5
    assert working_days_left(due, now=at("2026-10-09T09:00")) == 1
    assert working_days_left(due, now=at("2026-10-10T23:00")) == 0
    assert working_days_left(due, now=at("2026-10-11T00:00")) == 0


def test_explanation_names_start_n_due_and_days_crossed():
    basis = deadline_at_detail(at("2026-09-28T10:00"), 5).basis()

    with translation.override("en"):
        english = explain_basis(basis)
    with translation.override("zh-hans"):
        chinese = explain_basis(basis)

    assert english == (
        "5 working day(s) after 2026-09-28 → 2026-10-10 (make-up working day); "
        "holidays skipped: National Day 10-01 to 10-07"
    )
    assert chinese == "5 个工作日，自 2026-09-28 起算 → 2026-10-10（调休工作日）；跳过节假日：国庆节 10-01 至 10-07"


def test_explanation_of_provisional_and_support_results():
    provisional = add_working_days_detail(date(2026, 12, 30), 3).basis()
    support = support_response_due_detail(at("2026-10-10T14:00")).basis()

    with translation.override("en"):
        assert explain_basis(provisional) == (
            "3 working day(s) after 2026-12-30 → 2027-01-05; "
            "statutory holidays skipped (provisional, schedule not published): New Year's Day 01-01; "
            "weekends skipped: 01-02 to 01-03; "
            "calendar for 2027 not published yet: statutory holidays only, no make-up days, provisional"
        )
        assert explain_basis(support) == (
            "Received 2026-10-10 14:00, after 12:00 or on a non-working day → end of the next working day 2026-10-12; "
            "weekends skipped: 10-11"
        )


def test_calendar_functions_do_not_query_per_day():
    add_working_days(date(2026, 1, 1), 1)  # build the snapshot

    with CaptureQueriesContext(connection) as queries:
        add_working_days(date(2026, 1, 1), 200)
        working_days_between(date(2004, 1, 1), date(2026, 12, 31))
        support_response_due(at("2026-10-10T14:00"))

    assert len(queries) == 0
