"""A deemed acceptance reached on the provisional 2027 calendar, then the schedule is published:
never reversed, flagged for the administrator with the dates and the clause (§3.1.4, SPEC §5)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from accounts.tests.factories import UserFactory
from deadlines.enums import CorrectionOutcome, DayKind, DeadlineStatus
from deadlines.models import CalendarCorrection
from deadlines.services import calendar_year_load, deadline_sweep
from deadlines.sources import DaySpec
from delivery.audit import RequestMeta
from documents.enums import VersionState
from documents.models import DeliverableVersion
from golive.enums import NoticeStatus
from golive.services import golive_notice_issue
from notifications.models import Notification
from projects.enums import Phase
from projects.models import Project
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
META = RequestMeta(ip_address="10.0.0.9", user_agent="pytest")
# Provisionally (元旦 and 除夕..初三 off): (a) 15 working days after Wed 01-20 → 02-12; (b) after
# the stated start Fri 01-22 → 02-16. With the schedule (02-05..02-11 off, Sat 02-20 worked):
# (a) 02-17, (b) 02-19.
RECEIVED = dt.datetime(2027, 1, 20, 10, 0, tzinfo=SH)
SCHEDULE_2027 = [
    DaySpec(date=dt.date(2027, 1, 1), kind=DayKind.HOLIDAY, name_zh="元旦", name_en="New Year's Day"),
    *[
        DaySpec(date=dt.date(2027, 2, day), kind=DayKind.HOLIDAY, name_zh="春节", name_en="Spring Festival")
        for day in range(5, 12)
    ],
    DaySpec(date=dt.date(2027, 2, 20), kind=DayKind.MAKEUP_WORKDAY, name_zh="春节", name_en="Spring Festival"),
]


def _end_of(month: int, day: int) -> dt.datetime:
    return dt.datetime(2027, month, day, tzinfo=SH) + dt.timedelta(days=1)


@pytest.fixture
def deemed_project():
    project = ProjectFactory(golive_applies=True)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING)
    project.refresh_from_db()
    with time_machine.travel(RECEIVED, tick=False):
        notice = golive_notice_issue(
            project=project, user=project.vendor_pm, meta=META, planned_start=dt.date(2027, 1, 22)
        )
    assert (notice.objection_deadline.due_date, notice.arrangement_deadline.due_date) == (
        dt.date(2027, 2, 12),
        dt.date(2027, 2, 16),
    )
    for moment in (dt.datetime(2027, 2, 13, 0, 30, tzinfo=SH), dt.datetime(2027, 2, 17, 0, 30, tzinfo=SH)):
        with time_machine.travel(moment, tick=False):
            deadline_sweep(now=moment)
    project.refresh_from_db()
    assert project.golive_on == dt.date(2027, 2, 16)
    return project


def test_publishing_2027_flags_the_deemed_acceptance_and_reverses_nothing(deemed_project):
    admin = UserFactory(is_staff=True, is_superuser=True)
    Notification.objects.all().delete()

    with time_machine.travel(dt.datetime(2027, 2, 18, 9, 0, tzinfo=SH), tick=False):
        result = calendar_year_load(year=2027, days=SCHEDULE_2027, source="国务院办公厅通知 2027")

    deemed_project.refresh_from_db()
    notice = deemed_project.golive_notices.get()
    assert notice.status == NoticeStatus.DEEMED
    assert notice.deemed_on == dt.date(2027, 2, 16)
    assert deemed_project.golive_on == dt.date(2027, 2, 16)
    confirmations = DeliverableVersion.objects.filter(
        deliverable__project=deemed_project, deliverable__type__code="golive_confirmation"
    )
    assert [version.state for version in confirmations] == [VersionState.DEEMED_ACCEPTED]
    corrections = list(CalendarCorrection.objects.order_by("new_due_at"))
    assert [change for change in result.moved if change.is_correction] == corrections
    assert [(c.deadline.rule, c.outcome, c.clause) for c in corrections] == [
        ("golive_objection", CorrectionOutcome.ADMIN_REVIEW, "§3.1.4"),
        ("golive_arrangement", CorrectionOutcome.ADMIN_REVIEW, "§3.1.4"),
    ]
    assert [(c.old_due_at, c.new_due_at) for c in corrections] == [
        (_end_of(2, 12), _end_of(2, 17)),
        (_end_of(2, 16), _end_of(2, 19)),
    ]
    for deadline in (notice.objection_deadline, notice.arrangement_deadline):
        deadline.refresh_from_db()
        assert (deadline.status, deadline.correction, deadline.provisional) == (
            DeadlineStatus.EXPIRED,
            CorrectionOutcome.ADMIN_REVIEW,
            False,
        )
    told = Notification.objects.filter(verb="deadlines.corrected_review")
    assert sorted(told.values_list("recipient", flat=True)) == sorted(
        [deemed_project.vendor_pm.pk, deemed_project.customer_lead.pk] * 2
    )
    review = Notification.objects.filter(verb="deadlines.correction_review", recipient=admin)
    assert review.count() == 2
    assert review.order_by("id").last().message == (
        f"待复核的日历更正：{notice} 的“上线安排”于 2027-02-17 00:30 触发（原截止 2027-02-16），"
        "正确届满日为 2027-02-19；条款 §3.1.4。"
    )


def test_calendar_corrections_page_lists_the_flag_and_records_the_review(deemed_project, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    with time_machine.travel(dt.datetime(2027, 2, 18, 9, 0, tzinfo=SH), tick=False):
        calendar_year_load(year=2027, days=SCHEDULE_2027, source="国务院办公厅通知 2027")
    correction = CalendarCorrection.objects.order_by("new_due_at").last()
    client.force_login(admin)

    page = client.get(reverse("admin:deadlines_calendarcorrection_changelist")).content.decode()
    assert "日历更正" in page
    assert "2027-02-16" in page and "2027-02-19" in page and "§3.1.4" in page

    url = reverse("admin:deadlines_calendarcorrection_change", args=[correction.pk])
    response = client.post(url, {"review_note": "已与客户确认，维持视同验收。"}, follow=True)

    assert response.status_code == 200
    correction.refresh_from_db()
    assert (correction.reviewed_by, correction.review_note) == (admin, "已与客户确认，维持视同验收。")
    deemed_project.refresh_from_db()
    assert deemed_project.golive_on == dt.date(2027, 2, 16)


def test_calendar_corrections_page_refuses_an_empty_review_and_non_staff(deemed_project, client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    with time_machine.travel(dt.datetime(2027, 2, 18, 9, 0, tzinfo=SH), tick=False):
        calendar_year_load(year=2027, days=SCHEDULE_2027, source="国务院办公厅通知 2027")
    correction = CalendarCorrection.objects.order_by("new_due_at").last()
    url = reverse("admin:deadlines_calendarcorrection_change", args=[correction.pk])

    client.force_login(deemed_project.customer_lead)
    assert client.get(url).status_code == 302  # the admin site sends non-staff to its login
    client.force_login(admin)
    response = client.post(url, {"review_note": "  "}, follow=True)

    correction.refresh_from_db()
    assert (correction.reviewed_at, correction.review_note) == (None, "")
    assert "A note on what was done is required." in response.content.decode()
