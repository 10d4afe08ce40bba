"""The provisional year: statutory holidays of the 2024 rules while a year's schedule is not published."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from deadlines.calendar import TZ, Calendar, add_working_days_detail, day_exception, deadline_at_detail, is_working_day
from deadlines.models import CalendarDay
from deadlines.statutory import qingming, spring_festival_eve, statutory_days

pytestmark = pytest.mark.django_db

D = date.fromisoformat

STATUTORY_2027 = [
    ("2027-01-01", "元旦"),
    ("2027-02-05", "春节"),  # 除夕: the 29th of the 12th month of 丙午 (a short month)
    ("2027-02-06", "春节"),  # 初一
    ("2027-02-07", "春节"),
    ("2027-02-08", "春节"),  # 初三
    ("2027-04-05", "清明"),
    ("2027-05-01", "劳动节"),
    ("2027-05-02", "劳动节"),
    ("2027-06-09", "端午"),
    ("2027-09-15", "中秋"),
    ("2027-10-01", "国庆节"),
    ("2027-10-02", "国庆节"),
    ("2027-10-03", "国庆节"),
]


def test_statutory_days_of_2027():
    assert [(spec.date.isoformat(), spec.name_zh) for spec in statutory_days(2027)] == STATUTORY_2027
    assert {spec.kind for spec in statutory_days(2027)} == {"holiday"}


@pytest.mark.parametrize(
    ("year", "eve", "tomb_sweeping"),
    [(2025, "2025-01-28", "2025-04-04"), (2026, "2026-02-16", "2026-04-05"), (2027, "2027-02-05", "2027-04-05")],
)
def test_lunar_library_gives_eve_and_solar_term(year, eve, tomb_sweeping):
    assert spring_festival_eve(year) == D(eve)
    assert qingming(year) == D(tomb_sweeping)


def test_mid_autumn_on_national_day_is_one_day_with_both_names():
    # 2001: 中秋 fell on 1 October.
    october_first = [spec for spec in statutory_days(2001) if spec.date == date(2001, 10, 1)]

    assert [(spec.name_zh, spec.name_en) for spec in october_first] == [
        ("中秋、国庆节", "Mid-autumn Festival, National Day")
    ]
    assert len(statutory_days(2001)) == 12


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_statutory_day_is_a_rest_day_in_the_official_schedule(year):
    """The rule against every published year since the 2024 amendment took effect."""
    working = [spec.date for spec in statutory_days(year) if is_working_day(spec.date)]
    names = {spec.date: spec.name_zh for spec in statutory_days(year)}
    official = {row.date: row.name_zh for row in CalendarDay.objects.filter(year=year, kind="holiday")}

    assert working == []
    assert len(names) == 13
    assert set(names) <= set(official)


@pytest.mark.parametrize(("day", "name"), STATUTORY_2027)
def test_statutory_days_of_unpublished_2027_are_provisional_rest_days(day, name):
    exception = day_exception(D(day))

    assert is_working_day(D(day)) is False
    assert (exception.kind, exception.name_zh, exception.provisional) == ("holiday", name, True)


def test_no_make_up_day_is_guessed():
    # Officially, Saturdays and Sundays around a long holiday often become working days; not here.
    assert is_working_day(date(2027, 2, 20)) is False
    assert is_working_day(date(2027, 9, 26)) is False


def test_go_live_clock_from_2026_12_14_skips_new_year_and_stays_provisional():
    detail = deadline_at_detail(datetime(2026, 12, 14, 10, 0, tzinfo=TZ), 15)

    assert detail.due_date == date(2027, 1, 5)
    assert detail.provisional_years == (2027,)
    assert [(e.day, e.provisional) for e in detail.crossed] == [(date(2027, 1, 1), True)]


def test_change_letter_received_2026_12_28_is_due_2027_01_05():
    detail = add_working_days_detail(date(2026, 12, 28), 5)

    assert detail.due_date == date(2027, 1, 5)
    assert detail.provisional is True


def test_spring_festival_2027_skipped_provisionally():
    detail = add_working_days_detail(date(2027, 2, 4), 1)

    assert detail.due_date == date(2027, 2, 9)
    assert detail.provisional is True


def test_stored_row_of_unpublished_year_takes_precedence():
    calendar = Calendar(
        {date(2027, 1, 1): _makeup(date(2027, 1, 1))},
        published_years={2026},
    )

    assert calendar.is_working_day(date(2027, 1, 1)) is True
    assert calendar.exception(date(2027, 1, 1)).provisional is False
    assert calendar.is_working_day(date(2027, 2, 5)) is False


def test_published_year_uses_its_schedule_only():
    calendar = Calendar({}, published_years={2027})

    assert calendar.is_working_day(date(2027, 1, 1)) is True
    assert calendar.exceptions_between(date(2027, 1, 1), date(2027, 12, 31)) == ()


def _makeup(day):
    from deadlines.calendar import DayException

    return DayException(day=day, kind="makeup", name_zh="测试", name_en="Test")
