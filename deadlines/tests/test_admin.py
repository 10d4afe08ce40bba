from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory, OrganizationFactory, UserFactory
from deadlines.calendar import TZ, is_working_day
from deadlines.enums import CorrectionOutcome, DeadlineStatus, RuleCode
from deadlines.models import CalendarDay, CalendarYear, DeadlineChange
from deadlines.services import calendar_correction_review, deadline_open
from deadlines.tests.factories import WORKED_DUE, WORKED_START, DeadlineFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_user():
    return AdminUserFactory()


def open_worked_example(recipients=()):
    return deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=WORKED_START,
        working_days=5,
        recipients=recipients,
    )


def test_admin_adding_a_holiday_recomputes_and_notifies(client, admin_user):
    pm = UserFactory()
    deadline = open_worked_example(recipients=[pm])
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:deadlines_calendarday_add"),
        {"date": "2026-10-09", "kind": "holiday", "name_zh": "假想假日", "name_en": "Imaginary day"},
        follow=True,
    )

    deadline.refresh_from_db()
    assert response.status_code == 200
    assert "已重新计算并通知相关人员的未结期限：1 个" in response.content.decode()
    assert CalendarDay.objects.get(date=date(2026, 10, 9)).source == f"admin:{admin_user.username}"
    assert deadline.due_at == datetime(2026, 10, 13, 0, 0, tzinfo=TZ)
    assert Notification.objects.filter(recipient=pm, verb="deadlines.moved").count() == 1
    assert is_working_day(date(2026, 10, 9)) is False


def test_admin_changing_a_days_date_moves_both_dates(client, admin_user):
    deadline = open_worked_example()
    makeup = CalendarDay.objects.get(date=date(2026, 10, 10))
    client.force_login(admin_user)

    client.post(
        reverse("admin:deadlines_calendarday_change", args=[makeup.pk]),
        {"date": "2026-10-17", "kind": "makeup", "name_zh": "国庆节", "name_en": "National Day"},
    )

    deadline.refresh_from_db()
    assert is_working_day(date(2026, 10, 10)) is False
    assert is_working_day(date(2026, 10, 17)) is True
    assert deadline.due_at == datetime(2026, 10, 13, 0, 0, tzinfo=TZ)
    assert DeadlineChange.objects.filter(deadline=deadline).count() == 1


def test_admin_deleting_a_day_goes_through_the_service(client, admin_user):
    deadline = open_worked_example()
    makeup = CalendarDay.objects.get(date=date(2026, 10, 10))
    client.force_login(admin_user)

    client.post(reverse("admin:deadlines_calendarday_delete", args=[makeup.pk]), {"post": "yes"})

    deadline.refresh_from_db()
    assert CalendarDay.objects.filter(date=date(2026, 10, 10)).exists() is False
    assert deadline.due_at == datetime(2026, 10, 13, 0, 0, tzinfo=TZ)


def test_admin_unpublishing_a_year_marks_deadlines_provisional(client, admin_user):
    deadline = open_worked_example()
    year = CalendarYear.objects.get(year=2026)
    client.force_login(admin_user)

    client.post(reverse("admin:deadlines_calendaryear_change", args=[year.pk]), {"source": "admin"})

    deadline.refresh_from_db()
    assert CalendarYear.objects.get(year=2026).published is False
    assert deadline.provisional is True


@pytest.mark.parametrize(
    "url",
    [
        "admin:deadlines_calendarday_changelist",
        "admin:deadlines_calendaryear_changelist",
        "admin:deadlines_deadline_changelist",
    ],
)
def test_admin_lists_render(client, admin_user, url):
    open_worked_example()
    client.force_login(admin_user)

    assert client.get(reverse(url)).status_code == 200


def test_admin_deadline_is_read_only_and_explained(client, admin_user):
    deadline = open_worked_example()
    client.force_login(admin_user)

    response = client.get(reverse("admin:deadlines_deadline_change", args=[deadline.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    assert "5 个工作日，自 2026-09-28 起算 → 2026-10-10（调休工作日）" in html
    assert 'name="_save"' not in html
    assert client.get(reverse("admin:deadlines_deadline_add")).status_code == 403


def _correction(outcome=CorrectionOutcome.ADMIN_REVIEW) -> DeadlineChange:
    deadline = DeadlineFactory(status=DeadlineStatus.EXPIRED, applied_at=WORKED_DUE, fired_due_at=WORKED_DUE)
    return DeadlineChange.objects.create(
        deadline=deadline,
        old_due_at=WORKED_DUE,
        new_due_at=WORKED_DUE + timedelta(days=3),
        old_provisional=True,
        new_provisional=False,
        reason="calendar 2026 loaded from test",
        fired_at=WORKED_DUE + timedelta(minutes=30),
        outcome=outcome,
        clause="§3.1.4",
    )


def test_calendar_corrections_page_query_count_does_not_grow(client, admin_user):
    client.force_login(admin_user)
    url = reverse("admin:deadlines_calendarcorrection_changelist")
    DeadlineChange.objects.create(  # a move of an open deadline is not a correction: not listed
        deadline=DeadlineFactory(),
        old_due_at=WORKED_DUE,
        new_due_at=WORKED_DUE,
        old_provisional=True,
        new_provisional=False,
        reason="x",
    )
    counts = []
    for total in (1, 3):
        while DeadlineChange.objects.filter(fired_at__isnull=False).count() < total:
            _correction()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count('class="field-outcome"') == total
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_reviewed_or_not_flagged_correction_cannot_be_reviewed():
    correction = _correction(outcome=CorrectionOutcome.STANDS)
    admin = AdminUserFactory()

    with pytest.raises(ValueError, match="Only a correction flagged for the administrator is reviewed."):
        calendar_correction_review(correction=correction, user=admin, note="看过了")
    flagged = _correction()
    calendar_correction_review(correction=flagged, user=admin, note="已处理")
    with pytest.raises(ValueError, match="already been reviewed"):
        calendar_correction_review(correction=flagged, user=admin, note="again")
    with pytest.raises(PermissionDenied):
        calendar_correction_review(correction=_correction(), user=UserFactory(), note="x")

    correction.refresh_from_db()
    flagged.refresh_from_db()
    assert (correction.reviewed_at, flagged.review_note) == (None, "已处理")


def test_deadline_include_shows_the_correction_of_a_fired_deadline():
    correction = _correction(outcome=CorrectionOutcome.STANDS)
    deadline = correction.deadline
    deadline.due_at = correction.new_due_at
    deadline.correction = CorrectionOutcome.STANDS
    deadline.save()

    html = render_to_string("deadlines/includes/deadline.html", {"deadline": deadline})

    assert "按临时日历触发（原截止 2026-10-10）；正确届满日为 2026-10-13。 后果维持" in html
