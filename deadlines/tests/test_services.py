from __future__ import annotations

from datetime import date, datetime

import pytest
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from accounts.tests.factories import OrganizationFactory, UserFactory
from deadlines.calendar import TZ, add_working_days, is_working_day
from deadlines.enums import Clock, DayKind, DeadlineStatus, RuleCode
from deadlines.models import CalendarDay, CalendarYear, Deadline, DeadlineChange
from deadlines.services import (
    calendar_day_delete,
    calendar_day_save,
    calendar_year_load,
    calendar_year_save,
    deadline_cancel,
    deadline_mark_met,
    deadline_open,
)
from deadlines.sources import DaySpec
from deadlines.tests.factories import WORKED_DUE, WORKED_REMIND, WORKED_START
from notifications.models import Notification

pytestmark = pytest.mark.django_db

NEW_YEAR_2027 = [
    DaySpec(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name_zh="元旦", name_en="New Year's Day"),
    DaySpec(date=date(2027, 1, 2), kind=DayKind.HOLIDAY, name_zh="元旦", name_en="New Year's Day"),
    DaySpec(date=date(2027, 1, 3), kind=DayKind.HOLIDAY, name_zh="元旦", name_en="New Year's Day"),
]

SPRING_2027 = [
    *[
        DaySpec(date=date(2027, 2, day), kind=DayKind.HOLIDAY, name_zh="春节", name_en="Spring Festival")
        for day in range(5, 12)
    ],
    DaySpec(date=date(2027, 2, 20), kind=DayKind.MAKEUP_WORKDAY, name_zh="春节", name_en="Spring Festival"),
]


def open_change_reply(*, started_at=WORKED_START, working_days=5, recipients=()):
    return deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=started_at,
        working_days=working_days,
        recipients=recipients,
    )


def test_deadline_open_computes_due_reminder_and_basis():
    pm = UserFactory()

    deadline = open_change_reply(recipients=[pm])

    assert deadline.due_at == WORKED_DUE
    assert deadline.due_date == date(2026, 10, 10)
    assert deadline.remind_at == WORKED_REMIND
    assert deadline.provisional is False
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.basis["due_kind"] == "makeup"
    assert list(deadline.recipients.all()) == [pm]


def test_deadline_open_across_unpublished_year_is_provisional():
    deadline = open_change_reply(started_at=datetime(2026, 12, 30, 9, 0, tzinfo=TZ), working_days=3)

    # 12-31, then the statutory 元旦 01-01 (provisional) and the weekend are skipped: 01-04, 01-05.
    assert deadline.due_at == datetime(2027, 1, 6, 0, 0, tzinfo=TZ)
    assert deadline.provisional is True
    assert deadline.basis["provisional_years"] == [2027]
    assert deadline.basis["exceptions"] == [["2027-01-01", "holiday", "元旦", "New Year's Day", "provisional"]]


def test_deadline_open_support_clock_uses_noon_cutoff_without_reminder():
    deadline = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.SUPPORT_RESPONSE,
        started_at=datetime(2026, 9, 28, 11, 0, tzinfo=TZ),
        clock=Clock.SUPPORT_RESPONSE,
    )

    assert deadline.due_at == datetime(2026, 9, 29, 0, 0, tzinfo=TZ)
    assert deadline.working_days == 1
    assert deadline.remind_at is None


def test_deadline_open_rejects_unknown_rule_and_zero_days():
    with pytest.raises(ValueError, match="Unknown deadline rule 'nap_time'"):
        deadline_open(target=OrganizationFactory(), rule="nap_time", started_at=WORKED_START, working_days=5)
    with pytest.raises(ValueError, match="must be at least 1"):
        open_change_reply(working_days=0)

    assert Deadline.objects.count() == 0


def test_deadline_mark_met_records_who():
    deadline = open_change_reply()
    pm = UserFactory()

    deadline_mark_met(deadline=deadline, by=pm)

    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    assert deadline.met_at is not None
    assert StateLog.objects.for_(deadline).get().by == pm


@pytest.mark.parametrize("service", ["mark_met", "cancel"])
def test_closed_deadline_cannot_close_again(service):
    deadline = open_change_reply()
    deadline_cancel(deadline=deadline, reason="合同终止")

    with pytest.raises(TransitionNotAllowed):
        if service == "mark_met":
            deadline_mark_met(deadline=deadline)
        else:
            deadline_cancel(deadline=deadline, reason="again")

    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.CANCELLED
    assert deadline.cancel_reason == "合同终止"


def test_deadline_cancel_requires_reason():
    deadline = open_change_reply()

    with pytest.raises(ValueError, match="reason is required"):
        deadline_cancel(deadline=deadline, reason="  ")

    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.OPEN


# --- calendar changes re-compute open deadlines -------------------------------------------------
def test_loading_2027_moves_provisional_deadline_and_notifies():
    pm = UserFactory()
    deadline = open_change_reply(started_at=datetime(2027, 2, 3, 9, 0, tzinfo=TZ), working_days=2, recipients=[pm])
    confirmed = open_change_reply(started_at=datetime(2026, 12, 30, 9, 0, tzinfo=TZ), working_days=3, recipients=[pm])
    untouched = open_change_reply(recipients=[pm])  # due 2026-10-10: outside 2027
    # Provisionally: 02-04, then 除夕 to 初三 (02-05..02-08) skipped → 02-09.
    assert deadline.due_at == datetime(2027, 2, 10, 0, 0, tzinfo=TZ)

    result = calendar_year_load(year=2027, days=NEW_YEAR_2027 + SPRING_2027, source="holidays-2027.csv")

    deadline.refresh_from_db()
    confirmed.refresh_from_db()
    untouched.refresh_from_db()
    assert result.published_changed is True
    assert deadline.due_at == datetime(2027, 2, 13, 0, 0, tzinfo=TZ)  # 02-04, then 02-12 after the holiday
    assert deadline.provisional is False
    assert (confirmed.due_at, confirmed.provisional) == (datetime(2027, 1, 6, 0, 0, tzinfo=TZ), False)
    assert untouched.due_at == WORKED_DUE
    changes = {change.deadline_id: change for change in DeadlineChange.objects.all()}
    assert (changes[deadline.pk].old_due_at, changes[deadline.pk].new_due_at) == (
        datetime(2027, 2, 10, 0, 0, tzinfo=TZ),
        datetime(2027, 2, 13, 0, 0, tzinfo=TZ),
    )
    assert (changes[deadline.pk].old_provisional, changes[deadline.pk].new_provisional) == (True, False)
    # The date of the other one is confirmed: recorded, nobody is told of a move that did not happen.
    assert (changes[confirmed.pk].old_due_at, changes[confirmed.pk].new_due_at) == (confirmed.due_at, confirmed.due_at)
    notification = Notification.objects.get(verb="deadlines.moved")
    assert notification.recipient == pm
    assert notification.context["due"] == "2027-02-12"
    assert notification.context["old_due"] == "2027-02-09"
    assert CalendarYear.objects.get(year=2027).published is True
    assert is_working_day(date(2027, 2, 20)) is True


def test_admin_edit_of_one_day_moves_worked_example():
    pm = UserFactory()
    deadline = open_change_reply(recipients=[pm])

    _row, moved = calendar_day_save(day=date(2026, 10, 9), kind=DayKind.HOLIDAY, name_zh="假想假日")

    deadline.refresh_from_db()
    assert [change.deadline for change in moved] == [deadline]
    assert deadline.due_at == datetime(2026, 10, 13, 0, 0, tzinfo=TZ)  # 10-10 then Monday 10-12
    assert Notification.objects.filter(verb="deadlines.moved", recipient=pm).count() == 1
    assert add_working_days(date(2026, 9, 28), 5) == date(2026, 10, 12)


def test_removing_a_makeup_day_moves_deadline_later():
    deadline = open_change_reply()

    moved = calendar_day_delete(day=date(2026, 10, 10))

    deadline.refresh_from_db()
    assert len(moved) == 1
    assert deadline.due_at == datetime(2026, 10, 13, 0, 0, tzinfo=TZ)


def test_calendar_change_outside_window_moves_nothing():
    deadline = open_change_reply()

    moved = calendar_day_save(day=date(2026, 11, 20), kind=DayKind.HOLIDAY, name_zh="假想假日")[1]

    deadline.refresh_from_db()
    assert moved == []
    assert deadline.due_at == WORKED_DUE
    assert DeadlineChange.objects.count() == 0


def test_closed_deadlines_are_not_recomputed():
    deadline = open_change_reply()
    deadline_mark_met(deadline=deadline)

    moved = calendar_day_save(day=date(2026, 10, 9), kind=DayKind.HOLIDAY, name_zh="假想假日")[1]

    deadline.refresh_from_db()
    assert moved == []
    assert deadline.due_at == WORKED_DUE


def test_reloading_same_year_reports_only_differences():
    days = [
        DaySpec(date=row.date, kind=row.kind, name_zh=row.name_zh, name_en=row.name_en)
        for row in CalendarDay.objects.filter(year=2026)
    ]
    changed = [*days[:-1], DaySpec(date=days[-1].date, kind=days[-1].kind, name_zh="国庆", name_en="National Day")]

    result = calendar_year_load(year=2026, days=changed, source="test")

    assert (result.added, result.removed, result.published_changed) == ([], [], False)
    assert result.changed == [(days[-1], changed[-1])]


def test_calendar_year_load_rejects_days_of_another_year():
    with pytest.raises(ValueError, match="2026-01-01 is not in 2027"):
        calendar_year_load(year=2027, days=[DaySpec(date=date(2026, 1, 1), kind="holiday", name_zh="元旦")], source="x")

    assert CalendarYear.objects.filter(year=2027).exists() is False


def test_withdrawing_a_year_makes_its_deadlines_provisional():
    deadline = open_change_reply()

    _year, moved = calendar_year_save(year=2026, published=False, source="admin:test")

    deadline.refresh_from_db()
    assert len(moved) == 1
    assert deadline.provisional is True
    # The stored exceptions still apply; only the flag changes.
    assert deadline.due_at == WORKED_DUE
