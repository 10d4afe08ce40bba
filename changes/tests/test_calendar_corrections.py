"""A reply clock that ran on the provisional 2027 calendar, corrected when the schedule is published
(SPEC §5): the early overdue flag is withdrawn, both sides are told, the clock runs to its correct end."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from changes.enums import ChangeEventKind, ChangeKind
from changes.services import change_reply, change_review_start, reply_deadline
from deadlines.calendar import TZ
from deadlines.enums import CorrectionOutcome, DayKind, DeadlineStatus
from deadlines.models import DeadlineChange
from deadlines.services import calendar_year_load, deadline_sweep
from deadlines.sources import DaySpec
from notifications.models import Notification

from .factories import META, change_filed

pytestmark = pytest.mark.django_db

# Monday 2027-02-01. Provisionally (除夕 to 初三, 02-05..02-08, off): 02-02, 02-03, 02-04, 02-09,
# 02-10. With the schedule below (02-05..02-11 off, Saturday 02-20 worked): 02-02, 02-03, 02-04,
# 02-12, 02-15.
RECEIVED = datetime(2027, 2, 1, 10, 0, tzinfo=TZ)
PROVISIONAL_DUE_AT = datetime(2027, 2, 11, 0, 0, tzinfo=TZ)
CORRECT_DUE_AT = datetime(2027, 2, 16, 0, 0, tzinfo=TZ)
SCHEDULE_2027 = [
    DaySpec(date=date(2027, 1, 1), kind=DayKind.HOLIDAY, name_zh="元旦", name_en="New Year's Day"),
    *[
        DaySpec(date=date(2027, 2, day), kind=DayKind.HOLIDAY, name_zh="春节", name_en="Spring Festival")
        for day in range(5, 12)
    ],
    DaySpec(date=date(2027, 2, 20), kind=DayKind.MAKEUP_WORKDAY, name_zh="春节", name_en="Spring Festival"),
]


def _at(moment: datetime, work, **kwargs):
    with time_machine.travel(moment, tick=False):
        return work(**kwargs)


@pytest.fixture
def fired_letter(project):
    """A 4.2 letter whose reply clock ran out provisionally and escalated (2027 unpublished)."""
    letter = _at(RECEIVED, change_filed, project=project, kind=ChangeKind.VENDOR_AT_FAULT, now=RECEIVED)
    deadline = reply_deadline(letter)
    assert (deadline.due_at, deadline.provisional) == (PROVISIONAL_DUE_AT, True)
    moment = datetime(2027, 2, 11, 0, 30, tzinfo=TZ)
    _at(moment, deadline_sweep, now=moment)
    letter.refresh_from_db()
    assert letter.overdue_at == moment
    return letter


def _reply(letter, pm, moment: datetime, *, accept: bool) -> None:
    with time_machine.travel(moment, tick=False):
        change_review_start(change=letter, user=pm, meta=META)
        change_reply(
            change=letter,
            user=pm,
            meta=META,
            accept=accept,
            reasons="答复理由。",
            findings="内部调查结论。",
            now=moment,
        )


def _publish(moment: datetime):
    return _at(moment, calendar_year_load, year=2027, days=SCHEDULE_2027, source="国务院办公厅通知 2027")


def test_publishing_2027_withdraws_the_early_overdue_flag_and_tells_both_sides(fired_letter, pm, lead, manager):
    Notification.objects.all().delete()

    result = _publish(datetime(2027, 2, 11, 9, 0, tzinfo=TZ))

    fired_letter.refresh_from_db()
    deadline = reply_deadline(fired_letter)
    assert fired_letter.overdue_at is None
    assert fired_letter.is_overdue is False
    assert deadline.status == DeadlineStatus.OPEN
    assert deadline.applied_at is None
    assert (deadline.due_at, deadline.fired_due_at, deadline.provisional) == (
        CORRECT_DUE_AT,
        PROVISIONAL_DUE_AT,
        False,
    )
    assert deadline.correction == CorrectionOutcome.WITHDRAWN
    correction = DeadlineChange.objects.get(deadline=deadline)
    assert result.moved == [correction]
    assert (correction.fired_at, correction.old_due_at, correction.new_due_at) == (
        datetime(2027, 2, 11, 0, 30, tzinfo=TZ),
        PROVISIONAL_DUE_AT,
        CORRECT_DUE_AT,
    )
    assert (correction.outcome, correction.clause) == (CorrectionOutcome.WITHDRAWN, "§4.2, §4.3")
    event = fired_letter.events.get(kind=ChangeEventKind.OVERDUE_WITHDRAWN)
    assert event.comment == "答复截止于 2027-02-15 24:00。"
    told = Notification.objects.filter(verb="deadlines.corrected_withdrawn")
    assert sorted(told.values_list("recipient", flat=True)) == sorted([pm.pk, lead.pk])
    assert told.get(recipient=lead).message == (
        f"工作日历已调整：{project_label(fired_letter)} 的“答复变更说明函”于 2027-02-11 00:30 触发，"
        "早于正确届满日 2027-02-15（原计算为 2027-02-10）。其后果已撤回，期限继续计算至 2027-02-15。"
    )
    assert Notification.objects.exclude(verb="deadlines.corrected_withdrawn").count() == 0


def test_withdrawn_clock_escalates_again_at_its_correct_end(fired_letter, pm, manager):
    _publish(datetime(2027, 2, 11, 9, 0, tzinfo=TZ))
    Notification.objects.all().delete()

    before = datetime(2027, 2, 15, 23, 0, tzinfo=TZ)
    assert _at(before, deadline_sweep, now=before).applied == 0
    after = datetime(2027, 2, 16, 0, 30, tzinfo=TZ)
    assert _at(after, deadline_sweep, now=after).applied == 1

    fired_letter.refresh_from_db()
    assert fired_letter.overdue_at == after
    assert sorted(
        Notification.objects.filter(verb="changes.overdue").values_list("recipient", "context__due")
    ) == sorted([(pm.pk, "2027-02-15"), (manager.pk, "2027-02-15")])


def test_reply_given_after_the_early_flag_but_before_the_correct_end_is_met(fired_letter, pm):
    _reply(fired_letter, pm, datetime(2027, 2, 12, 10, 0, tzinfo=TZ), accept=True)

    _publish(datetime(2027, 2, 13, 9, 0, tzinfo=TZ))

    fired_letter.refresh_from_db()
    deadline = reply_deadline(fired_letter)
    assert fired_letter.overdue_at is None
    assert deadline.status == DeadlineStatus.MET
    assert deadline.correction == CorrectionOutcome.WITHDRAWN_MET
    assert fired_letter.events.get(kind=ChangeEventKind.OVERDUE_WITHDRAWN).comment == (
        "2027-02-12 10:00 的答复并未逾期：截止于 2027-02-15 24:00。"
    )
    assert Notification.objects.filter(verb="deadlines.corrected_met").count() == 2


def test_reply_after_the_correct_end_keeps_the_overdue_record(fired_letter, pm):
    _reply(fired_letter, pm, datetime(2027, 2, 17, 10, 0, tzinfo=TZ), accept=False)
    overdue_at = fired_letter.overdue_at

    _publish(datetime(2027, 2, 18, 9, 0, tzinfo=TZ))

    fired_letter.refresh_from_db()
    deadline = reply_deadline(fired_letter)
    assert fired_letter.overdue_at == overdue_at
    assert deadline.status == DeadlineStatus.EXPIRED
    assert (deadline.correction, deadline.due_at) == (CorrectionOutcome.STANDS, CORRECT_DUE_AT)
    assert fired_letter.events.filter(kind=ChangeEventKind.OVERDUE_WITHDRAWN).exists() is False


def project_label(letter) -> str:
    return f"{letter.project.code} #{letter.number} {letter.title}"


def test_a_moved_reply_clock_tells_the_vendor_pm_and_the_customer_lead_who_filed_it(project, pm, lead, manager):
    letter = _at(RECEIVED, change_filed, project=project, kind=ChangeKind.CUSTOMER_REASONS, now=RECEIVED)
    Notification.objects.all().delete()

    _publish(datetime(2027, 2, 2, 9, 0, tzinfo=TZ))

    deadline = reply_deadline(letter)
    assert (deadline.status, deadline.due_at, deadline.fired_due_at) == (DeadlineStatus.OPEN, CORRECT_DUE_AT, None)
    moved = Notification.objects.filter(verb="deadlines.moved")
    assert sorted(moved.values_list("recipient", flat=True)) == sorted([pm.pk, lead.pk])
    assert moved.get(recipient=lead).context["due"] == "2027-02-15"
    assert moved.get(recipient=lead).context["old_due"] == "2027-02-10"
