from __future__ import annotations

from datetime import date, datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory, OrganizationFactory, UserFactory
from deadlines.calendar import TZ, is_working_day
from deadlines.enums import RuleCode
from deadlines.models import CalendarDay, CalendarYear, DeadlineChange
from deadlines.services import deadline_open
from deadlines.tests.factories import WORKED_START
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
