"""Phase transitions through the services: gates, permissions, forcing, going back, the log."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm import can_proceed
from django_fsm_log.models import StateLog

from accounts.tests.factories import AdminUserFactory, VendorUserFactory
from delivery.tests.outbox import effect_kinds
from notifications.models import Notification
from projects.enums import MemberRole, Phase
from projects.selectors import project_phase_log
from projects.services import GateNotPassed, project_phase_advance, project_phase_back, project_phase_force

from .factories import ProjectFactory, ProjectMemberFactory, project_with_full_team

pytestmark = pytest.mark.django_db

KICKOFF = datetime.date(2026, 4, 3)


def _logs(project):
    return list(
        StateLog.objects.filter(object_id=project.pk, content_type__model="project").values_list(
            "transition", "source_state", "state", "by_id", "description"
        )
    )


def test_advance_from_initiation_when_gate_met(django_capture_on_commit_callbacks):
    project = project_with_full_team(kickoff_held_on=KICKOFF)
    pm = project.vendor_pm

    with django_capture_on_commit_callbacks(execute=True):
        project_phase_advance(project=project, user=pm, reason="启动会纪要已归档")

    project.refresh_from_db()
    assert project.phase == Phase.PLANNING
    assert _logs(project) == [("start_planning", "initiation", "planning", pm.pk, "启动会纪要已归档")]
    # Everyone in the team but the PM is told, by e-mail after commit.
    assert Notification.objects.filter(verb="projects.phase.planning").count() == 5
    assert effect_kinds() == ["mail.notification"] * 5


def test_advance_refused_lists_missing_items_and_changes_nothing():
    project = ProjectFactory()  # no kick-off, roles missing, contact directory required

    with pytest.raises(GateNotPassed) as refused:
        project_phase_advance(project=project, user=project.vendor_pm)

    assert refused.value.missing == [
        "已召开项目启动会",
        "项目组包含客户方技术负责人",
        "项目组包含售前顾问",
        "项目组包含交付顾问",
        "项目组包含销售经理",
        "项目组织通讯录已经客户方负责人确认",
    ]
    project.refresh_from_db()
    assert project.phase == Phase.INITIATION
    assert _logs(project) == []


def test_fsm_condition_is_the_gate():
    project = project_with_full_team()
    assert can_proceed(project.start_planning) is False

    project.kickoff_held_on = KICKOFF

    assert can_proceed(project.start_planning) is True


@pytest.mark.parametrize(
    ("phase", "missing"),
    [
        (Phase.PLANNING, ["需求确认单已经客户方负责人确认", "项目计划已经客户方负责人确认"]),
        (Phase.EXECUTION, ["实施交付报告已发布"]),
        (Phase.CLOSING, ["上线确认单已签署或视为确认", "项目总结报告已确认（内部）", "项目交接记录已确认（内部）"]),
    ],
)
def test_advance_later_phases_waits_for_deliverables(phase, missing):
    project = project_with_full_team(phase=phase, kickoff_held_on=KICKOFF)

    with pytest.raises(GateNotPassed) as refused:
        project_phase_advance(project=project, user=project.vendor_pm)

    assert refused.value.missing == missing
    project.refresh_from_db()
    assert project.phase == phase


def test_advance_closed_project_is_refused():
    project = ProjectFactory(phase=Phase.CLOSED)

    with pytest.raises(ValidationError) as refused:
        project_phase_advance(project=project, user=project.vendor_pm)

    assert refused.value.messages == ["已关闭的项目没有下一阶段。"]


@pytest.mark.parametrize("who", ["other_vendor_member", "customer_lead", "stranger"])
def test_advance_by_anyone_but_the_pm_is_denied_and_changes_nothing(who):
    project = project_with_full_team(kickoff_held_on=KICKOFF)
    users = {
        "other_vendor_member": ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user,
        "customer_lead": project.customer_lead,
        "stranger": VendorUserFactory(),
    }

    with pytest.raises(PermissionDenied):
        project_phase_advance(project=project, user=users[who])

    project.refresh_from_db()
    assert project.phase == Phase.INITIATION
    assert _logs(project) == []


def test_admin_may_advance_like_the_pm():
    project = project_with_full_team(kickoff_held_on=KICKOFF)
    admin = AdminUserFactory()

    project_phase_advance(project=project, user=admin)

    assert project.phase == Phase.PLANNING


def test_force_by_admin_passes_a_failing_gate_with_the_reason_recorded():
    project = ProjectFactory(phase=Phase.PLANNING)
    admin = AdminUserFactory()

    project_phase_force(project=project, user=admin, reason="需求确认单已线下签字，扫描件见邮件")

    project.refresh_from_db()
    assert project.phase == Phase.EXECUTION
    assert _logs(project) == [
        ("force_advance", "planning", "execution", admin.pk, "需求确认单已线下签字，扫描件见邮件")
    ]


def test_forced_gate_email_says_it_was_forced_by_whom_and_why(django_capture_on_commit_callbacks):
    from django.core import mail

    project = ProjectFactory(phase=Phase.PLANNING)
    admin = AdminUserFactory(first_name="系统管理员")
    project.customer_lead.profile.language = "en"
    project.customer_lead.profile.save()

    with django_capture_on_commit_callbacks(execute=True):
        project_phase_force(project=project, user=admin, reason="需求确认单已线下签字")

    by_address = {message.to[0]: message.body for message in mail.outbox}
    assert (
        f"系统管理员 强制项目 {project} 越过关口进入 执行，未满足全部条件。原因：需求确认单已线下签字"
        in by_address[project.vendor_pm.email]
    )
    assert (
        f"系统管理员 forced project {project} past the gate into Execution, without all its conditions. "
        "Reason: 需求确认单已线下签字" in by_address[project.customer_lead.email]
    )


def test_force_by_the_pm_is_denied():
    project = ProjectFactory(phase=Phase.PLANNING)

    with pytest.raises(PermissionDenied):
        project_phase_force(project=project, user=project.vendor_pm, reason="赶进度")

    project.refresh_from_db()
    assert project.phase == Phase.PLANNING
    assert _logs(project) == []


def test_force_without_reason_is_refused():
    project = ProjectFactory(phase=Phase.PLANNING)

    with pytest.raises(ValidationError) as refused:
        project_phase_force(project=project, user=AdminUserFactory(), reason="   ")

    assert refused.value.messages == ["请填写原因：它将记入活动日志。"]
    project.refresh_from_db()
    assert project.phase == Phase.PLANNING


def test_force_from_closed_is_refused():
    project = ProjectFactory(phase=Phase.CLOSED)

    with pytest.raises(ValidationError) as refused:
        project_phase_force(project=project, user=AdminUserFactory(), reason="测试")

    assert refused.value.messages == ["已关闭的项目没有下一阶段。"]


def test_move_back_by_admin_with_reason():
    project = ProjectFactory(phase=Phase.EXECUTION)
    admin = AdminUserFactory()

    project_phase_back(project=project, user=admin, reason="变更函（§4.3）接受后需重新确认需求")

    project.refresh_from_db()
    assert project.phase == Phase.PLANNING
    assert _logs(project) == [("move_back", "execution", "planning", admin.pk, "变更函（§4.3）接受后需重新确认需求")]


def test_move_back_by_the_pm_is_denied():
    project = ProjectFactory(phase=Phase.EXECUTION)

    with pytest.raises(PermissionDenied):
        project_phase_back(project=project, user=project.vendor_pm, reason="重新规划")

    project.refresh_from_db()
    assert project.phase == Phase.EXECUTION


def test_move_back_from_initiation_is_refused():
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        project_phase_back(project=project, user=AdminUserFactory(), reason="测试")

    assert refused.value.messages == ["处于启动阶段的项目没有更早的阶段。"]


def test_phase_log_shows_who_when_from_to_why_and_kind():
    project = project_with_full_team(kickoff_held_on=KICKOFF)
    admin = AdminUserFactory(first_name="系统管理员")
    project_phase_advance(project=project, user=project.vendor_pm)
    project_phase_force(project=project, user=admin, reason="线下已确认")
    project_phase_back(project=project, user=admin, reason="补签需求确认单")

    entries = project_phase_log(project=project)

    assert [(e.by, e.source, e.target, e.reason, e.kind) for e in entries] == [
        ("系统管理员", "执行", "规划", "补签需求确认单", "back"),
        ("系统管理员", "规划", "执行", "线下已确认", "forced"),
        (project.vendor_pm.first_name, "启动", "规划", "", "advance"),
    ]
