from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import OrganizationFactory
from deadlines.calendar import current_calendar, local_date
from deadlines.enums import DayKind, RuleCode
from deadlines.services import calendar_year_load, deadline_cancel, deadline_open
from deadlines.sources import DaySpec
from deadlines.tests.factories import WORKED_START

pytestmark = [pytest.mark.django_db, pytest.mark.urls("deadlines.tests.urls")]


def cell(html: str, day: str) -> str:
    """The opening tag of one day's cell."""
    start = html.index(f'data-date="{day}"')
    return html[html.rindex("<td", 0, start) : html.index(">", start) + 1]


def test_calendar_page_colours_2026(client, user):
    client.force_login(user)

    response = client.get(reverse("deadlines:calendar_year", args=[2026]))

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="cal-day cal-makeup"' in cell(html, "2026-10-10")
    assert 'title="国庆节"' in cell(html, "2026-10-10")
    assert 'class="cal-day cal-holiday"' in cell(html, "2026-10-01")
    assert 'class="cal-day cal-weekend"' in cell(html, "2026-10-11")
    assert 'class="cal-day cal-workday"' in cell(html, "2026-10-12")
    assert 'class="cal-day cal-makeup"' in cell(html, "2026-09-20")
    assert "工作日历 2026" in html
    assert "2026 年工作日共 248 天。来源：chinese-calendar 1.11.0。" in html
    assert 'id="calendar-provisional"' not in html
    assert html.count('class="card h-100 cal-month"') == 12
    assert "/static/deadlines/calendar.css" in html
    assert 'href="/calendar/2025/"' in html
    assert 'href="/calendar/2027/"' in html
    assert 'id="nav-calendar"' in html


def test_calendar_page_warns_for_unpublished_year(client, user):
    client.force_login(user)

    response = client.get(reverse("deadlines:calendar_year", args=[2027]))

    html = response.content.decode()
    assert 'id="calendar-provisional"' in html
    assert "2027 年的放假安排尚未发布" in html
    assert 'class="cal-day cal-holiday cal-provisional"' in cell(html, "2027-01-01")
    assert 'title="元旦 (临时)"' in cell(html, "2027-01-01")
    assert 'class="cal-day cal-weekend"' in cell(html, "2027-02-20")  # no make-up day guessed
    assert "《全国年节及纪念日放假办法》" in html


def test_calendar_page_in_english(client, user):
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # what the language switcher sets

    with translation.override("en"):
        response = client.get(reverse("deadlines:calendar_year", args=[2026]))

    html = response.content.decode()
    assert "Working days in 2026: 248. Source: chinese-calendar 1.11.0." in html
    assert 'title="National Day"' in cell(html, "2026-10-10")


def test_calendar_page_is_drawn_once_per_calendar_version(client, user, django_assert_num_queries):
    client.force_login(user)
    url = reverse("deadlines:calendar_year", args=[2027])
    assert 'class="cal-day cal-workday"' in cell(client.get(url).content.decode(), "2027-03-01")

    # session, user, unread notifications: the year's grids come from the cache
    with django_assert_num_queries(3):
        cached = client.get(url).content.decode()
    calendar_year_load(
        year=2027,
        days=[DaySpec(date=date(2027, 3, 1), kind=DayKind.HOLIDAY, name_zh="测试假日", name_en="Test holiday")],
        source="holidays-2027.csv",
    )
    redrawn = client.get(url).content.decode()

    assert 'class="cal-day cal-workday"' in cell(cached, "2027-03-01")
    assert 'class="cal-day cal-holiday"' in cell(redrawn, "2027-03-01")


def test_calendar_without_year_shows_current_year(client, user):
    client.force_login(user)

    response = client.get(reverse("deadlines:calendar"))

    assert response.context["calendar"].year == local_date(timezone.now()).year


def test_calendar_requires_login(client):
    response = client.get(reverse("deadlines:calendar_year", args=[2026]))

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/calendar/2026/"


@pytest.mark.parametrize("year", [1999, 2101])
def test_calendar_year_out_of_range_is_404(client, user, year):
    client.force_login(user)

    assert client.get(reverse("deadlines:calendar_year", args=[year])).status_code == 404


def test_calendar_page_query_count_does_not_grow_with_exceptions(client, user):
    client.force_login(user)
    counts = []
    for extra in (1, 40):
        days = [
            DaySpec(date=date(2027, 1, 1) + timedelta(days=i), kind=DayKind.HOLIDAY, name_zh="测试")
            for i in range(extra)
        ]
        calendar_year_load(year=2027, days=days, source="test")
        current_calendar()  # the snapshot is built once per change, not per request
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("deadlines:calendar_year", args=[2027]))
        assert response.status_code == 200
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_deadline_include_shows_date_days_left_explanation_and_status():
    deadline = deadline_open(
        target=OrganizationFactory(), rule=RuleCode.CHANGE_REPLY, started_at=timezone.now(), working_days=5
    )

    html = render_to_string("deadlines/includes/deadline.html", {"deadline": deadline})

    assert "答复变更说明函" in html
    assert "进行中" in html
    assert f">{deadline.due_date:%Y-%m-%d}</time>" in html
    assert "剩余 5 个工作日" in html
    assert f"5 个工作日，自 {local_date(timezone.now()):%Y-%m-%d} 起算" in html


def test_deadline_include_for_worked_example_after_cancel():
    deadline = deadline_open(
        target=OrganizationFactory(), rule=RuleCode.CHANGE_REPLY, started_at=WORKED_START, working_days=5
    )
    deadline_cancel(deadline=deadline, reason="客户撤回变更")

    html = render_to_string("deadlines/includes/deadline.html", {"deadline": deadline})

    assert "已取消" in html
    assert "剩余" not in html
    assert "5 个工作日，自 2026-09-28 起算 → 2026-10-10（调休工作日）；跳过节假日：国庆节 10-01 至 10-07" in html


def test_deadline_include_warns_when_provisional():
    deadline = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=datetime(2026, 12, 30, 9, 0, tzinfo=timezone.get_current_timezone()),
        working_days=3,
    )

    html = render_to_string("deadlines/includes/deadline.html", {"deadline": deadline})

    assert "计算跨越了官方日历尚未发布的年份" in html
    assert "跳过法定节假日（临时，放假安排尚未发布）：元旦 01-01" in html
    assert "2027 年放假安排尚未发布：仅按法定节假日计算，不含调休，为临时结果" in html
