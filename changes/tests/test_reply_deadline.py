"""The 5-working-day reply clock of 4.2/4.3 letters (§4.2, §4.3; SPEC §5), across National Day 2026."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from changes.enums import ChangeEventKind, ChangeKind, ChangeState
from changes.services import change_reply, change_reply_overdue, change_review_start, change_withdraw, reply_deadline
from deadlines.calendar import TZ
from deadlines.enums import DeadlineStatus
from deadlines.services import deadline_sweep
from notifications.models import Notification

from .factories import META, change_filed

pytestmark = pytest.mark.django_db

# Monday 2026-09-28: 9-29, 9-30, (10-01..07 National Day), 10-08, 10-09, Saturday 10-10 (调休).
RECEIVED = datetime(2026, 9, 28, 10, 0, tzinfo=TZ)
DUE_AT = datetime(2026, 10, 11, 0, 0, tzinfo=TZ)
AFTER_DUE = DUE_AT + timedelta(minutes=5)


@pytest.fixture
def letter(project):
    return change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT, now=RECEIVED)


def _overdue_notifications() -> list[tuple[int, str]]:
    return list(Notification.objects.filter(verb="changes.overdue").values_list("recipient", "context__due"))


def test_reply_due_at_the_end_of_the_make_up_saturday_after_national_day(letter):
    deadline = reply_deadline(letter)

    assert deadline.due_at == DUE_AT
    assert deadline.due_date == date(2026, 10, 10)
    assert deadline.remind_at == datetime(2026, 10, 9, 0, 0, tzinfo=TZ)
    assert (
        deadline.explanation
        == "5 个工作日，自 2026-09-28 起算 → 2026-10-10（调休工作日）；跳过节假日：国庆节 10-01 至 10-07"
    )


def test_reminder_goes_to_the_vendor_pm_a_working_day_before(letter, pm):
    deadline_sweep(now=datetime(2026, 10, 8, 23, 59, tzinfo=TZ))
    assert Notification.objects.filter(verb="deadlines.reminder").count() == 0

    deadline_sweep(now=datetime(2026, 10, 9, 9, 0, tzinfo=TZ))
    deadline_sweep(now=datetime(2026, 10, 9, 10, 0, tzinfo=TZ))

    reminder = Notification.objects.get(verb="deadlines.reminder")
    assert reminder.recipient == pm
    assert reminder.context_for_reader() == {
        "rule": "答复变更说明函",
        "target": f"{letter.project.code} #1 归档邮箱容量调整",
        "due": "2026-10-10",
    }
    assert reminder.url == f"/projects/{letter.project.code}/changes/1/"


def test_reply_on_the_last_minute_of_the_make_up_day_is_in_time(letter, pm):
    change_review_start(change=letter, user=pm, meta=META)

    change_reply(
        change=letter,
        user=pm,
        meta=META,
        accept=True,
        reasons="同意",
        findings="属实",
        now=DUE_AT - timedelta(minutes=1),
    )

    letter.refresh_from_db()
    assert letter.reply_late is False
    assert reply_deadline(letter).status == DeadlineStatus.MET


def test_overdue_escalates_to_pm_and_managers_exactly_once(letter, pm, manager):
    first = deadline_sweep(now=AFTER_DUE)
    second = deadline_sweep(now=AFTER_DUE + timedelta(minutes=5))
    change_reply_overdue(reply_deadline(letter))  # the effect run again by hand: still once

    letter.refresh_from_db()
    assert (first.applied, second.applied) == (1, 0)
    assert letter.overdue_at is not None
    assert letter.is_overdue is True
    assert letter.state == ChangeState.SUBMITTED  # a flag, not a state: the path is unchanged
    assert sorted(_overdue_notifications()) == sorted([(pm.pk, "2026-10-10"), (manager.pk, "2026-10-10")])
    assert letter.events.filter(kind=ChangeEventKind.OVERDUE).count() == 1
    assert reply_deadline(letter).status == DeadlineStatus.EXPIRED
    assert Notification.objects.get(recipient=manager, verb="changes.overdue").message == (
        f"变更说明函 {letter.project.code} #1 归档邮箱容量调整 的答复已超期："
        "答复期限为 2026-10-10 24:00（§4.2、§4.3）。"
    )


def test_late_reply_after_escalation_is_accepted_and_shown_as_late(letter, pm):
    deadline_sweep(now=AFTER_DUE)
    change_review_start(change=letter, user=pm, meta=META)

    change_reply(
        change=letter,
        user=pm,
        meta=META,
        accept=False,
        reasons="非交付方原因",
        findings="配置由客户修改",
        now=AFTER_DUE,
    )

    letter.refresh_from_db()
    assert (letter.state, letter.reply_late, letter.is_overdue) == (ChangeState.REJECTED, True, False)
    assert letter.overdue_at is not None
    assert reply_deadline(letter).status == DeadlineStatus.EXPIRED
    assert letter.events.get(kind=ChangeEventKind.REJECTED).comment == "超过答复期限后答复。"


def test_late_reply_before_the_sweep_ran_is_late_and_not_escalated(letter, pm, manager):
    change_review_start(change=letter, user=pm, meta=META)
    change_reply(change=letter, user=pm, meta=META, accept=True, reasons="同意", findings="属实", now=AFTER_DUE)

    result = deadline_sweep(now=AFTER_DUE + timedelta(minutes=5))

    letter.refresh_from_db()
    assert letter.reply_late is True
    assert result.applied == 1
    assert reply_deadline(letter).status == DeadlineStatus.EXPIRED
    assert (letter.overdue_at, _overdue_notifications()) == (None, [])


def test_withdrawn_letter_is_never_escalated(letter, lead):
    change_withdraw(change=letter, user=lead, meta=META, reason="撤回")

    result = deadline_sweep(now=AFTER_DUE)

    assert result.applied == 0
    assert _overdue_notifications() == []


def test_4_3_has_the_same_clock(project):
    letter = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS, now=RECEIVED)

    assert reply_deadline(letter).due_at == DUE_AT
