"""The kick-off meeting record (§3.1): kept by the vendor PM, confirmed by the customer lead (the gate item)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Notification
from projects.lifecycle import project_gate_missing
from projects.models import KickoffMeeting
from projects.services import kickoff_confirm, kickoff_record

from .factories import ProjectFactory, project_with_full_team

pytestmark = pytest.mark.django_db

RECORD = {
    "held_on": datetime.date(2026, 4, 3),
    "place": "江南制造信息中心 3 楼会议室",
    "vendor_attendees": "王建国（项目经理）\n刘洋（交付顾问）",
    "customer_attendees": "李静（信息中心主任）\n周强（系统管理员）",
    "agenda": "项目范围、里程碑、双方分工",
    "minutes": "双方确认范围与里程碑。",
    "decisions": "每周五提交状态报告。",
}
KICKOFF_ITEM = "已召开项目启动会"


def test_kickoff_confirmed_by_the_lead_meets_the_gate_item():
    project = project_with_full_team(kickoff_held_on=None)
    kickoff_record(project=project, actor=project.vendor_pm, **RECORD)
    assert KICKOFF_ITEM in project_gate_missing(project)

    kickoff_confirm(project=project, actor=project.customer_lead)

    project.refresh_from_db()
    assert project.kickoff_held_on == datetime.date(2026, 4, 3)
    assert KICKOFF_ITEM not in project_gate_missing(project)
    assert Notification.objects.get(recipient=project.vendor_pm).verb == "projects.kickoff_confirmed"


def test_kickoff_confirm_by_the_pm_is_denied_and_changes_nothing():
    project = ProjectFactory()
    kickoff_record(project=project, actor=project.vendor_pm, **RECORD)

    with pytest.raises(PermissionDenied):
        kickoff_confirm(project=project, actor=project.vendor_pm)

    project.refresh_from_db()
    assert (project.kickoff_held_on, KickoffMeeting.objects.get().confirmed_at) == (None, None)


def test_kickoff_record_by_the_lead_is_denied():
    project = ProjectFactory()

    with pytest.raises(PermissionDenied):
        kickoff_record(project=project, actor=project.customer_lead, **RECORD)

    assert KickoffMeeting.objects.count() == 0


def test_kickoff_record_is_frozen_once_confirmed_and_confirmed_once():
    project = ProjectFactory()
    kickoff_record(project=project, actor=project.vendor_pm, **RECORD)
    kickoff_confirm(project=project, actor=project.customer_lead)

    with pytest.raises(ValidationError) as frozen:
        kickoff_record(project=project, actor=project.vendor_pm, **{**RECORD, "place": "线上"})
    with pytest.raises(ValidationError) as twice:
        kickoff_confirm(project=project, actor=project.customer_lead)

    assert frozen.value.messages == ["客户方负责人已确认此记录，不能再修改。"]
    assert twice.value.messages == ["该项目启动会记录已确认。"]
    assert KickoffMeeting.objects.get().place == RECORD["place"]


def test_kickoff_without_a_record_cannot_be_confirmed():
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        kickoff_confirm(project=project, actor=project.customer_lead)

    assert refused.value.messages == ["尚无可确认的项目启动会记录。"]
    project.refresh_from_db()
    assert project.kickoff_held_on is None


def test_kickoff_page_with_bad_input_shows_errors_and_saves_nothing(client):
    project = ProjectFactory()
    client.force_login(project.vendor_pm)
    future = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()

    response = client.post(reverse("projects:kickoff", args=[project.code]), {**RECORD, "held_on": future, "place": ""})

    assert response.status_code == 400
    assert response.context["form"].errors == {"place": ["这个字段是必填项。"]}
    assert KickoffMeeting.objects.count() == 0


def test_kickoff_page_is_404_for_other_projects_users(client):
    project = ProjectFactory()
    client.force_login(ProjectFactory().vendor_pm)

    assert client.get(reverse("projects:kickoff", args=[project.code])).status_code == 404
    assert client.post(reverse("projects:kickoff_confirm", args=[project.code])).status_code == 404


def test_kickoff_page_query_count_is_constant(client, django_assert_num_queries):
    project = ProjectFactory()
    kickoff_record(project=project, actor=project.vendor_pm, **RECORD)
    client.force_login(project.customer_lead)

    with django_assert_num_queries(6):
        response = client.get(reverse("projects:kickoff", args=[project.code]))

    assert 'id="kickoff-confirm-form"' in response.content.decode()
