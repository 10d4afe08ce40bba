from __future__ import annotations

import datetime

import icalendar
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from accounts.tests.factories import CustomerUserFactory
from changes.enums import ChangeKind
from changes.tests.factories import change_filed, deliverable_confirmed
from deadlines.calendar import TZ
from deadlines.models import Deadline
from feeds.models import CalendarFeed
from feeds.services import feed_get_or_create, feed_revoke, feed_url
from golive.models import SupportVisit
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _parse(client, feed) -> icalendar.Calendar:
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _summaries(calendar) -> list[str]:
    return sorted(str(event["SUMMARY"]) for event in calendar.walk("VEVENT"))


@pytest.fixture
def project(db):
    return ProjectFactory(code="HX-FEED-1")


def test_personal_feed_has_the_users_deadlines_with_timezone(client, project):
    change = change_filed(project, now=datetime.datetime(2026, 9, 28, 10, 0, tzinfo=TZ))
    due_at = Deadline.objects.get(target_id=change.pk, rule="change_reply").due_at
    calendar = _parse(client, feed_get_or_create(user=project.vendor_pm))
    assert [str(tz["TZID"]) for tz in calendar.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == f"截止：答复变更说明函 · {project.code} #1 归档邮箱容量调整"
    # The deadline ends at 24:00 of its last working day; the event is that day's last hour.
    assert event.decoded("DTEND") == due_at
    assert event.decoded("DTSTART") == due_at - datetime.timedelta(hours=1)
    assert event["DTEND"].params["TZID"] == "Asia/Shanghai"
    description = str(event["DESCRIPTION"])
    assert f"项目：{project}" in description
    assert "升级" in description or "逾期" in description
    assert str(event["URL"]).endswith(f"/projects/{project.code}/changes/1/")


def test_customer_lead_is_not_told_about_the_vendors_reply_clock(client, project):
    change_filed(project)
    calendar = _parse(client, feed_get_or_create(user=project.customer_lead))
    assert calendar.walk("VEVENT") == []


def test_provisional_end_is_marked_in_the_summary(client, project):
    change_filed(project, now=datetime.datetime(2030, 3, 4, 10, 0, tzinfo=TZ))
    (event,) = _parse(client, feed_get_or_create(user=project.vendor_pm)).walk("VEVENT")
    assert str(event["SUMMARY"]).endswith("（暂定）")


def test_feed_has_plan_milestones_and_visits(client, project):
    deliverable_confirmed(project, "project_plan")
    SupportVisit.objects.create(
        project=project,
        starts_on=datetime.date(2026, 11, 9),
        ends_on=datetime.date(2026, 11, 10),
        consultant=project.vendor_pm,
    )
    calendar = _parse(client, feed_get_or_create(user=project.customer_lead))
    name = project.vendor_pm.get_full_name()
    assert _summaries(calendar) == sorted(
        [
            f"里程碑：环境准备 · {project.code}",
            f"里程碑：部署与迁移 · {project.code}",
            f"里程碑：上线切换 · {project.code}",
            f"现场支持：{name} · {project.code}",
        ]
    )
    golive = next(e for e in calendar.walk("VEVENT") if "上线切换" in str(e["SUMMARY"]))
    assert golive.decoded("DTSTART") == datetime.date(2026, 11, 2)
    assert golive.decoded("DTEND") == datetime.date(2026, 11, 7)


def test_no_other_projects_events(client, project):
    other = ProjectFactory(vendor_pm=project.vendor_pm)
    change_filed(other)
    change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    lead_calendar = _parse(client, feed_get_or_create(user=project.customer_lead))
    assert lead_calendar.walk("VEVENT") == []
    team = _parse(client, feed_get_or_create(user=project.customer_lead, project=project))
    assert [str(e["URL"]).split("/projects/")[1] for e in team.walk("VEVENT")] == [f"{project.code}/changes/1/"]


def test_project_feed_is_for_its_team_only(project):
    outsider = CustomerUserFactory()
    with pytest.raises(PermissionDenied):
        feed_get_or_create(user=outsider, project=project)
    assert CalendarFeed.objects.count() == 0


def test_revoked_feed_is_404_and_a_new_link_works(client, project):
    feed = feed_get_or_create(user=project.vendor_pm)
    old = feed_url(feed)
    feed_revoke(feed=feed, user=project.vendor_pm)
    assert client.get(old).status_code == 404
    new = feed_get_or_create(user=project.vendor_pm)
    assert feed_url(new) != old
    assert client.get(feed_url(new)).status_code == 200


def test_feed_of_someone_no_longer_on_the_project_is_404(client, project):
    lead = project.customer_lead
    feed = feed_get_or_create(user=lead, project=project)
    project.members.filter(user=lead).delete()
    project.customer_lead = CustomerUserFactory(profile__organization=project.customer)
    project.save()
    assert client.get(feed_url(feed)).status_code == 404


def test_unknown_token_is_404(client):
    assert client.get(reverse("feeds:ics", args=["nothing"])).status_code == 404


def test_feed_token_is_stored_encrypted(project):
    feed = feed_get_or_create(user=project.vendor_pm)
    token = feed_url(feed).split("/")[-1].removesuffix(".ics")
    row = CalendarFeed.objects.filter(pk=feed.pk).values().get()
    assert token not in [str(value) for value in row.values()]


def test_feed_query_count_does_not_grow(client, project, django_assert_num_queries):
    pm = project.vendor_pm
    feed = feed_get_or_create(user=pm)
    change_filed(project)
    with django_assert_num_queries(6) as one:
        client.get(feed_url(feed))
    for _ in range(3):
        change_filed(ProjectFactory(vendor_pm=pm))
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(feed_url(feed))
    assert len(icalendar.Calendar.from_ical(response.content).walk("VEVENT")) == 4


def test_profile_and_dashboard_show_the_subscribe_link(client, project):
    pm = project.vendor_pm
    client.force_login(pm)
    page = client.get(reverse("profile:page")).content.decode()
    feed = CalendarFeed.objects.get(user=pm, project=None)
    assert feed_url(feed) in page
    assert feed_url(feed) in client.get(reverse("dashboard")).content.decode()


def test_profile_project_feed_for_outsider_is_404(client, project):
    outsider = CustomerUserFactory()
    client.force_login(outsider)
    response = client.post(reverse("profile:feed_new"), {"project": project.code})
    assert response.status_code == 404
    assert CalendarFeed.objects.filter(project=project).count() == 0
