"""Loading a year from a file: the parsers, the dry run, and the deadlines a load moves."""

from __future__ import annotations

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from accounts.tests.factories import OrganizationFactory, UserFactory
from deadlines.calendar import TZ, is_working_day, is_year_published
from deadlines.calendar_files import CalendarFileError, parse_calendar_file, parse_csv, parse_ics, parse_yaml
from deadlines.enums import RuleCode
from deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineChange
from deadlines.services import deadline_open
from deadlines.sources import DaySpec
from notifications.models import Notification

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SCHEDULES = Path(__file__).resolve().parents[1] / "schedules"


def test_csv_file_parsed():
    days = parse_calendar_file(DATA / "sample-2027.csv")

    assert len(days) == 11
    assert days[0] == DaySpec(date=date(2027, 1, 1), kind="holiday", name_zh="元旦", name_en="New Year's Day")
    assert days[-1] == DaySpec(date=date(2027, 2, 20), kind="makeup", name_zh="春节", name_en="Spring Festival")


def test_yaml_subset_parsed():
    days = parse_calendar_file(DATA / "sample-2027.yaml")

    assert days == [
        DaySpec(date=date(2027, 1, 1), kind="holiday", name_zh="元旦", name_en="New Year's Day"),
        # No English name in the file: the usual one of a statutory holiday is filled in.
        DaySpec(date=date(2027, 1, 2), kind="holiday", name_zh="元旦", name_en="New Year's Day"),
        DaySpec(date=date(2027, 1, 3), kind="holiday", name_zh="元旦", name_en="New Year's Day"),
        DaySpec(date=date(2027, 2, 20), kind="makeup", name_zh="春节", name_en="Spring Festival, make-up"),
    ]


def test_ics_file_parsed_with_ranges_folding_and_markers():
    days = parse_calendar_file(DATA / "sample-2027.ics")

    assert [(d.date.isoformat(), d.kind, d.name_zh) for d in days] == [
        ("2027-01-01", "holiday", "元旦"),
        ("2027-01-02", "holiday", "元旦"),
        ("2027-01-03", "holiday", "元旦"),
        *[(f"2027-02-{day:02d}", "holiday", "春节") for day in range(5, 12)],
        ("2027-02-20", "makeup", "春节"),
    ]


@pytest.mark.parametrize(
    ("parser", "text", "message"),
    [
        (parse_csv, "date,kind\n2027-01-01,holiday\n", "the header must name the columns date, kind, name"),
        (parse_csv, "date,kind,name\n2027-13-01,holiday,元旦\n", "CSV row 2: '2027-13-01' is not a date"),
        (parse_csv, "date,kind,name\n2027-01-01,nap,元旦\n", "CSV row 2: unknown kind 'nap'"),
        (parse_yaml, "date: 2027-01-01\n", "expected a list item"),
        (parse_yaml, "- date: 2027-01-01\n  kind: holiday\n", "missing name"),
        (parse_ics, "BEGIN:VEVENT\nSUMMARY:元旦\nEND:VEVENT\n", "an event needs DTSTART and SUMMARY"),
    ],
)
def test_bad_files_rejected_with_clear_message(parser, text, message):
    with pytest.raises(CalendarFileError, match=message):
        parser(text)


def test_dry_run_prints_changes_and_saves_nothing():
    pm = UserFactory()
    deadline = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=datetime(2026, 12, 30, 9, 0, tzinfo=TZ),
        working_days=3,
        recipients=[pm],
    )
    out = io.StringIO()

    call_command("calendar_load", str(DATA / "sample-2027.csv"), "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0] == "2027: 11 added, 0 removed, 0 changed; the year becomes published"
    assert lines[1] == "  + 2027-01-01 holiday 元旦 New Year's Day"
    assert f"  deadline #{deadline.pk} change_reply: due 2027-01-05 → 2027-01-05 (provisional → final)" in lines
    assert lines[-2:] == ["  1 open deadline(s) move", "Dry run: nothing was saved."]
    deadline.refresh_from_db()
    assert deadline.due_at == datetime(2027, 1, 6, 0, 0, tzinfo=TZ)
    assert deadline.provisional is True
    assert CalendarDay.objects.filter(year=2027).count() == 0
    assert CalendarYear.objects.filter(year=2027).exists() is False
    assert DeadlineChange.objects.count() == 0
    assert Notification.objects.count() == 0
    assert is_year_published(2027) is False
    assert is_working_day(date(2027, 1, 1)) is False  # the statutory 元旦, provisional


def test_load_ics_publishes_year_moves_deadline_and_notifies(django_capture_on_commit_callbacks, mailoutbox):
    pm = UserFactory()
    deadline = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=datetime(2027, 2, 3, 9, 0, tzinfo=TZ),
        working_days=2,
        recipients=[pm],
    )
    assert deadline.due_at == datetime(2027, 2, 10, 0, 0, tzinfo=TZ)  # 02-04, then 除夕 to 初三 skipped: 02-09

    with django_capture_on_commit_callbacks(execute=True):
        call_command("calendar_load", str(DATA / "sample-2027.ics"), "--year", "2027", stdout=io.StringIO())

    deadline.refresh_from_db()
    assert deadline.due_at == datetime(2027, 2, 13, 0, 0, tzinfo=TZ)  # 02-04, then 02-12 after the holiday
    assert deadline.provisional is False
    assert CalendarYear.objects.get(year=2027).source == "sample-2027.ics"
    assert is_working_day(date(2027, 2, 20)) is True
    notification = Notification.objects.get(recipient=pm, verb="deadlines.moved")
    assert notification.message == (
        f"工作日历已调整：{deadline.target} 的“答复变更说明函”现截止于 2027-02-12 24:00（原为 2027-02-09）。"
    )
    assert [message.to for message in mailoutbox] == [[pm.email]]


def test_load_rejects_rows_of_other_years():
    with pytest.raises(CommandError, match="has rows for 2027, not only 2028"):
        call_command("calendar_load", str(DATA / "sample-2027.csv"), "--year", "2028", stdout=io.StringIO())

    assert Deadline.objects.count() == 0
    assert CalendarYear.objects.filter(year=2027).exists() is False


def test_load_reports_missing_file():
    with pytest.raises(CommandError, match="No such file"):
        call_command("calendar_load", "/nonexistent/holidays.csv", stdout=io.StringIO())


def test_seed_command_is_idempotent():
    out = io.StringIO()

    call_command("calendar_seed", stdout=out)

    assert out.getvalue() == "Calendar up to date with chinese-calendar 1.11.0.\n"
    assert CalendarDay.objects.count() == 771
    assert CalendarYear.objects.filter(published=True).count() == 23


@pytest.mark.parametrize("name", ["2026.csv", "2026.yaml", "2026.ics"])
def test_the_2026_example_files_reproduce_the_seeded_year_exactly(name):
    seeded = [
        DaySpec(date=row.date, kind=row.kind, name_zh=row.name_zh, name_en=row.name_en)
        for row in CalendarDay.objects.filter(year=2026).order_by("date")
    ]
    deadline = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=datetime(2026, 9, 28, 10, 0, tzinfo=TZ),
        working_days=5,
    )
    out = io.StringIO()

    assert parse_calendar_file(SCHEDULES / name) == seeded
    call_command("calendar_load", str(SCHEDULES / name), "--year", "2026", stdout=out)

    assert out.getvalue() == "2026: 0 added, 0 removed, 0 changed\n  0 open deadline(s) move\nSaved.\n"
    assert len(seeded) == 39
    assert DeadlineChange.objects.count() == 0
    assert Notification.objects.count() == 0
    deadline.refresh_from_db()
    assert deadline.due_at == datetime(2026, 10, 11, 0, 0, tzinfo=TZ)
