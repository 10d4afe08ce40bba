"""After go-live and closing (SPEC §2 post-go-live, ERP method): the problem log's rules and history,
final acceptance after stable operation and the acceptance meeting, a closing gate that checks."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, VendorUserFactory
from delivery.audit import RequestMeta
from documents.models import DeliverableType
from documents.pages import initial_content
from documents.services import version_sign, version_submit
from documents.tests.factories import DeliverableFactory, VersionFactory
from golive.enums import ProblemStatus
from golive.models import AcceptanceMeeting, SupportVisit
from golive.services import (
    acceptance_meeting_record,
    problem_report,
    problem_update,
    support_visit_create,
)
from notifications.models import Notification
from projects.enums import Phase
from projects.lifecycle import project_gate_missing
from projects.models import Project
from projects.tests.factories import ProjectFactory
from sealing.credentials import SignatureRefused

pytestmark = pytest.mark.django_db

SH = ZoneInfo("Asia/Shanghai")
META = RequestMeta(ip_address="10.0.0.9", user_agent="pytest")
# Tuesday; 22 working days later (make-up Sunday 09-20 counted; Mid-autumn 09-25 and National Day
# 10-01..07 skipped) is 10-08: final acceptance can be signed from 10-09.
WENT_LIVE = dt.date(2026, 9, 1)


@pytest.fixture
def project():
    project = ProjectFactory(golive_applies=True)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING, golive_on=WENT_LIVE)
    project.refresh_from_db()
    return project


def _problem(project):
    return problem_report(
        project=project, user=project.customer_lead, description="无法登录", severity="major", support_mode="remote"
    )


# --- 8. problem log ------------------------------------------------------------------------------
def test_resolving_needs_a_resolution_and_a_result(project):
    problem = _problem(project)

    with pytest.raises(ValidationError) as refused:
        problem_update(
            problem=problem, user=project.vendor_pm, action="resolve", cause="证书过期", resolution="更新证书"
        )

    assert refused.value.messages == ["标记为已解决需要填写解决方案和处理结果。"]
    problem.refresh_from_db()
    assert (problem.status, problem.cause, problem.resolution) == (ProblemStatus.OPEN, "", "")


def test_reopening_needs_a_reason(project):
    problem = _problem(project)
    problem_update(problem=problem, user=project.vendor_pm, action="resolve", resolution="更新证书", result="恢复正常")

    with pytest.raises(ValidationError) as refused:
        problem_update(problem=problem, user=project.customer_lead, action="reopen", reason="  ")

    assert refused.value.message_dict == {"reason": ["请填写重新打开的原因。"]}
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED


def test_problem_history_records_who_when_what_and_both_sides_are_told(project):
    problem = _problem(project)
    with time_machine.travel(dt.datetime(2026, 9, 10, 10, 0, tzinfo=SH), tick=False):
        problem_update(
            problem=problem, user=project.vendor_pm, action="resolve", resolution="更新证书", result="恢复正常"
        )
    with time_machine.travel(dt.datetime(2026, 9, 11, 9, 0, tzinfo=SH), tick=False):
        problem_update(problem=problem, user=project.customer_lead, action="reopen", reason="又无法登录")

    history = [(e.action, e.actor_id, e.changes, e.reason) for e in problem.events.order_by("id")]
    assert history == [
        ("reported", project.customer_lead_id, [], ""),
        ("resolve", project.vendor_pm_id, [["resolution", "", "更新证书"], ["result", "", "恢复正常"]], ""),
        ("reopen", project.customer_lead_id, [], "又无法登录"),
    ]
    moved = Notification.objects.filter(verb="golive.problem_moved").order_by("id")
    assert [(n.recipient_id, n.message) for n in moved] == [
        (
            project.customer_lead_id,
            f"{project.vendor_pm.get_full_name()} 将 {project.code} 的运行问题 #1 标记为“已解决”",
        ),
        (
            project.vendor_pm_id,
            f"{project.customer_lead.get_full_name()} 将 {project.code} 的运行问题 #1 标记为“待处理”"
            "（原因：又无法登录）",
        ),
    ]


def test_problem_page_shows_the_history(client, project):
    problem = _problem(project)
    problem_update(problem=problem, user=project.vendor_pm, action="resolve", resolution="更新证书", result="恢复正常")
    client.force_login(project.customer_lead)

    page = client.get(reverse("golive:problem", args=[project.code, problem.number])).content.decode()

    assert 'id="problem-history"' in page
    history = page[page.index('id="problem-history"') :]
    assert "已解决" in history
    assert "解决方法: — → 更新证书" in history


def test_customer_cannot_edit_the_resolution(project):
    problem = _problem(project)

    with pytest.raises(PermissionDenied):
        problem_update(problem=problem, user=project.customer_lead, resolution="我自己修好了")

    problem.refresh_from_db()
    assert problem.resolution == ""
    assert problem.events.count() == 1


def test_problem_log_deliverable_starts_from_the_live_log(project):
    first = _problem(project)
    problem_update(
        problem=first,
        user=project.vendor_pm,
        action="resolve",
        cause="证书过期",
        resolution="更新证书",
        result="恢复正常",
    )
    problem_report(
        project=project, user=project.vendor_pm, description="收信延迟", severity="minor", support_mode="onsite"
    )

    content = initial_content(project=project, code="operation_problem_log")

    assert content == {
        "problems": [
            {
                "description": "#1 [已解决] 无法登录",
                "support_mode": "remote",
                "cause": "证书过期",
                "tracking": "",
                "resolution": "更新证书",
                "result": "恢复正常",
            },
            {
                "description": "#2 [待处理] 收信延迟",
                "support_mode": "onsite",
                "cause": "",
                "tracking": "",
                "resolution": "",
                "result": "",
            },
        ]
    }


# --- 9. final acceptance -------------------------------------------------------------------------
def _final_acceptance(project):
    deliverable = DeliverableFactory(project=project, type=DeliverableType.objects.get(code="final_acceptance_report"))
    version = VersionFactory(
        deliverable=deliverable,
        content={
            "notice_time": "2026-10-20T10:00",
            "notice_place": "客户会议室",
            "attendees": "双方项目负责人",
            "duration": "6 个月",
            "stages": "启动、规划、执行、收尾",
            "modules": "邮件、归档",
            "evaluation": "满意",
        },
    )
    return version_submit(version=version, user=project.vendor_pm, meta=META)


def _sign(version, user):
    return version_sign(
        version=version, user=user, meta=META, typed_name=user.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )


def test_final_acceptance_before_stable_operation_and_meeting_is_refused_with_both_reasons(project):
    version = _final_acceptance(project)

    with time_machine.travel(dt.datetime(2026, 9, 20, 10, 0, tzinfo=SH), tick=False):
        with pytest.raises(SignatureRefused) as refused:
            _sign(version, project.customer_lead)

    assert refused.value.messages == [
        "终验需要系统自 2026-09-01 上线后稳定运行 22 个工作日：2026-10-09 起方可签署。",
        "尚未记录验收会议已召开。",
    ]
    assert version.signatures.count() == 0


def test_final_acceptance_signed_after_stable_operation_and_the_meeting(project):
    version = _final_acceptance(project)
    with time_machine.travel(dt.datetime(2026, 10, 9, 10, 0, tzinfo=SH), tick=False):
        acceptance_meeting_record(
            project=project,
            user=project.vendor_pm,
            held_on=dt.date(2026, 10, 9),
            place="客户会议室",
            attendees="李静、王建国",
        )
        _sign(version, project.customer_lead)

    assert version.signatures.count() == 1


def test_acceptance_meeting_in_the_future_or_by_the_customer_is_refused(project):
    with time_machine.travel(dt.datetime(2026, 10, 13, 10, 0, tzinfo=SH), tick=False):
        with pytest.raises(ValidationError) as future:
            acceptance_meeting_record(
                project=project, user=project.vendor_pm, held_on=dt.date(2026, 10, 20), place="会议室", attendees="双方"
            )
        with pytest.raises(PermissionDenied):
            acceptance_meeting_record(
                project=project,
                user=project.customer_lead,
                held_on=dt.date(2026, 10, 12),
                place="会议室",
                attendees="双方",
            )

    assert future.value.message_dict == {"held_on": ["请在会议召开后再记录。"]}
    assert not AcceptanceMeeting.objects.exists()


# --- 10. closing gate ----------------------------------------------------------------------------
def test_closing_gate_lists_open_problems_and_versions_waiting_for_a_signature(project):
    _problem(project)
    version = _final_acceptance(project)

    missing = project_gate_missing(project)

    assert missing == [
        "上线确认单已签署或视为确认",
        "项目总结报告已确认（内部）",
        "项目交接记录已确认（内部）",
        "未关闭的运行问题已列入已确认的交接记录（未列入：#1）",
        f"没有等待签署的交付物（待签署：项目终验报告 v{version.number}）",
    ]


def test_closing_gate_with_no_problem_and_nothing_waiting(project):
    missing = project_gate_missing(project)

    assert "没有未关闭的运行问题" not in missing
    assert [m for m in missing if "运行问题" in m or "等待签署" in m] == []


# --- 11. on-site visits --------------------------------------------------------------------------
def test_visit_before_go_live_is_refused(project):
    consultant = VendorUserFactory()

    with pytest.raises(ValidationError) as refused:
        support_visit_create(
            project=project,
            user=project.vendor_pm,
            starts_on=dt.date(2026, 8, 30),
            ends_on=dt.date(2026, 9, 2),
            consultant=consultant,
        )

    assert refused.value.message_dict == {"starts_on": ["现场支持在上线之后：支持安排不能早于系统上线日期。"]}
    assert not SupportVisit.objects.exists()


def test_visit_form_shows_consultants_full_names(client, project):
    from projects.services import project_member_add

    consultant = VendorUserFactory(first_name="刘洋", username="consultant")
    project_member_add(
        project=project, actor=project.vendor_pm, role="delivery_consultant", user=consultant, notify=False
    )
    client.force_login(project.vendor_pm)

    page = client.get(reverse("golive:overview", args=[project.code])).content.decode()

    assert "刘洋 (consultant)" in page


def test_closing_gate_does_not_wait_for_the_golive_notice_which_is_received_not_signed(project):
    from golive.services import golive_notice_issue

    Project.objects.filter(pk=project.pk).update(golive_on=None)
    project.refresh_from_db()
    with time_machine.travel(dt.datetime(2026, 8, 20, 10, 0, tzinfo=SH), tick=False):
        golive_notice_issue(project=project, user=project.vendor_pm, meta=META, planned_start=dt.date(2026, 8, 31))

    assert [m for m in project_gate_missing(project) if "等待签署" in m] == []


def test_closing_stops_the_projects_clocks(project):
    from accounts.tests.factories import AdminUserFactory
    from deadlines.selectors import deadline_list_for_target
    from golive.rules import final_acceptance_reminder_open
    from projects.services import project_phase_force

    final_acceptance_reminder_open(project=project, golive_on=WENT_LIVE)

    project_phase_force(project=project, user=AdminUserFactory(), reason="纸质验收已完成")

    project.refresh_from_db()
    assert project.phase == Phase.CLOSED
    assert [(d.rule, d.status, d.cancel_reason) for d in deadline_list_for_target(target=project)] == [
        ("final_acceptance_reminder", "cancelled", "project closed")
    ]


def test_submit_message_names_who_really_signs(project):
    from documents.views import _submitted_message

    summary = VersionFactory(
        deliverable=DeliverableFactory(project=project, type=DeliverableType.objects.get(code="project_summary_report"))
    )
    acceptance = VersionFactory(
        deliverable=DeliverableFactory(
            project=project, type=DeliverableType.objects.get(code="final_acceptance_report")
        )
    )
    plan = VersionFactory(deliverable=DeliverableFactory(project=project))
    pm, lead = project.vendor_pm.get_full_name(), project.customer_lead.get_full_name()

    assert _submitted_message(summary) == f"已提交。已请交付方项目经理 {pm} 签署（内部文档）。"
    assert _submitted_message(acceptance) == f"已提交。已请 {lead}（客户方负责人）和 {pm}（交付方）签署。"
    assert _submitted_message(plan) == f"已提交。已请客户方项目负责人 {lead} 签署。"
