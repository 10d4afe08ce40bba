"""Operation problems and on-site visits: every transition by the service, and every refusal
leaves the problem (or the visit list) as it was."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import CustomerUserFactory, VendorUserFactory
from golive import pages
from golive.enums import ProblemStatus, Severity, SupportMode
from golive.models import OperationProblem, ProblemEvent, SupportVisit
from golive.services import problem_report, problem_update, support_visit_create
from golive.tests.factories import WENT_LIVE, OperationProblemFactory, live_project
from notifications.models import Notification
from projects.enums import MemberRole
from projects.models import Project
from projects.tests.factories import ProjectMemberFactory

pytestmark = pytest.mark.django_db

RESOLUTION = {"resolution": "重建索引", "result": "检索恢复正常"}


def _snapshot(problem: OperationProblem) -> tuple:
    problem = OperationProblem.objects.get(pk=problem.pk)
    return (problem.status, problem.resolution, problem.result, ProblemEvent.objects.filter(problem=problem).count())


def _actions(problem: OperationProblem) -> list[str]:
    return list(ProblemEvent.objects.filter(problem=problem).order_by("at", "id").values_list("action", flat=True))


# --- Reporting ---------------------------------------------------------------------------------


def test_report_numbers_problems_per_project_and_tells_the_other_side():
    project = live_project()
    first = problem_report(
        project=project,
        user=project.customer_lead,
        description="登录慢",
        severity=Severity.MAJOR,
        support_mode=SupportMode.REMOTE,
    )
    second = problem_report(
        project=project,
        user=project.vendor_pm,
        description="报表错位",
        severity=Severity.MINOR,
        support_mode=SupportMode.ONSITE,
    )

    assert (first.number, second.number) == (1, 2)
    assert (first.status, _actions(first)) == (ProblemStatus.OPEN, ["reported"])
    told = Notification.objects.filter(verb="golive.problem_reported").order_by("id")
    assert [n.recipient for n in told] == [project.vendor_pm, project.customer_lead]


# --- Each transition ---------------------------------------------------------------------------


def test_vendor_pm_starts_work_on_an_open_problem():
    problem = OperationProblemFactory()

    problem_update(problem=problem, user=problem.project.vendor_pm, action="start")

    assert _snapshot(problem)[0] == ProblemStatus.IN_PROGRESS
    assert _actions(problem) == ["start"]


def test_vendor_team_member_resolves_with_resolution_and_result():
    problem = OperationProblemFactory(status=ProblemStatus.IN_PROGRESS)
    engineer = ProjectMemberFactory(project=problem.project, role=MemberRole.ENGINEER).user

    problem_update(problem=problem, user=engineer, action="resolve", **RESOLUTION)

    assert _snapshot(problem) == (ProblemStatus.RESOLVED, "重建索引", "检索恢复正常", 1)
    assert Notification.objects.filter(verb="golive.problem_moved").count() == 2


def test_an_open_problem_may_be_resolved_directly():
    problem = OperationProblemFactory()

    problem_update(problem=problem, user=problem.project.vendor_pm, action="resolve", **RESOLUTION)

    assert _snapshot(problem)[0] == ProblemStatus.RESOLVED


def test_customer_lead_closes_a_resolved_problem():
    problem = OperationProblemFactory(status=ProblemStatus.RESOLVED, **RESOLUTION)

    problem_update(problem=problem, user=problem.project.customer_lead, action="close")

    assert _snapshot(problem)[0] == ProblemStatus.CLOSED
    assert _actions(problem) == ["close"]


def test_customer_lead_reopens_a_closed_problem_with_a_reason():
    problem = OperationProblemFactory(status=ProblemStatus.CLOSED, **RESOLUTION)

    problem_update(problem=problem, user=problem.project.customer_lead, action="reopen", reason="又出现了")

    assert _snapshot(problem)[0] == ProblemStatus.OPEN
    event = ProblemEvent.objects.get(problem=problem)
    assert (event.action, event.reason) == ("reopen", "又出现了")


# --- Refusals: the message, and nothing changed ----------------------------------------------


@pytest.mark.parametrize(
    ("status", "action", "shown"),
    [
        (ProblemStatus.IN_PROGRESS, "start", "处理中"),
        (ProblemStatus.RESOLVED, "start", "已解决"),
        (ProblemStatus.CLOSED, "resolve", "已关闭"),
        (ProblemStatus.OPEN, "close", "待处理"),
        (ProblemStatus.IN_PROGRESS, "reopen", "处理中"),
    ],
)
def test_a_transition_from_the_wrong_status_is_refused(status, action, shown):
    problem = OperationProblemFactory(status=status, **RESOLUTION)
    before = _snapshot(problem)

    with pytest.raises(ValidationError) as refused:
        problem_update(problem=problem, user=problem.project.vendor_pm, action=action, reason="原因")

    assert refused.value.messages == [f"状态为“{shown}”的问题不能执行此操作。"]
    assert _snapshot(problem) == before


def test_resolving_without_resolution_and_result_is_refused():
    problem = OperationProblemFactory(status=ProblemStatus.IN_PROGRESS)
    before = _snapshot(problem)

    with pytest.raises(ValidationError) as refused:
        problem_update(problem=problem, user=problem.project.vendor_pm, action="resolve")

    assert refused.value.messages == ["标记为已解决需要填写解决方案和处理结果。"]
    assert _snapshot(problem) == before


def test_reopening_without_a_reason_is_refused():
    problem = OperationProblemFactory(status=ProblemStatus.RESOLVED, **RESOLUTION)
    before = _snapshot(problem)

    with pytest.raises(ValidationError) as refused:
        problem_update(problem=problem, user=problem.project.customer_lead, action="reopen", reason="  ")

    assert refused.value.message_dict == {"reason": ["请填写重新打开的原因。"]}
    assert _snapshot(problem) == before


def test_an_unknown_action_is_refused():
    problem = OperationProblemFactory()
    before = _snapshot(problem)

    with pytest.raises(ValidationError) as refused:
        problem_update(problem=problem, user=problem.project.vendor_pm, action="delete")

    assert refused.value.messages == ["未知操作。"]
    assert _snapshot(problem) == before


def test_customer_lead_may_not_start_or_edit_a_problem():
    problem = OperationProblemFactory()
    before = _snapshot(problem)
    lead = problem.project.customer_lead

    with pytest.raises(PermissionDenied):
        problem_update(problem=problem, user=lead, action="start")
    with pytest.raises(PermissionDenied):
        problem_update(problem=problem, user=lead, action="close", cause="客户改的")

    assert _snapshot(problem) == before


@pytest.mark.parametrize("outsider", [CustomerUserFactory, VendorUserFactory])
def test_people_outside_the_project_may_not_move_a_problem(outsider):
    problem = OperationProblemFactory(status=ProblemStatus.RESOLVED, **RESOLUTION)
    before = _snapshot(problem)

    with pytest.raises(PermissionDenied):
        problem_update(problem=problem, user=outsider(), action="close")

    assert _snapshot(problem) == before


# --- On-site support visits --------------------------------------------------------------------


def test_vendor_pm_schedules_a_visit_after_golive():
    project = live_project()

    visit = support_visit_create(
        project=project,
        user=project.vendor_pm,
        starts_on=WENT_LIVE,
        ends_on=WENT_LIVE + dt.timedelta(days=2),
        consultant=project.vendor_pm,
        notes="驻场",
    )

    assert list(SupportVisit.objects.filter(project=project)) == [visit]
    assert (visit.starts_on, visit.ends_on, visit.notes) == (WENT_LIVE, dt.date(2026, 10, 21), "驻场")


def test_a_visit_that_ends_before_it_starts_is_refused():
    project = live_project()

    with pytest.raises(ValidationError) as refused:
        support_visit_create(
            project=project,
            user=project.vendor_pm,
            starts_on=WENT_LIVE,
            ends_on=WENT_LIVE - dt.timedelta(days=1),
            consultant=project.vendor_pm,
        )

    assert refused.value.message_dict == {"ends_on": ["结束日期早于开始日期。"]}
    assert SupportVisit.objects.filter(project=project).count() == 0


def test_a_visit_before_golive_is_refused():
    project = live_project()
    Project.objects.filter(pk=project.pk).update(golive_on=None)
    project.refresh_from_db()

    with pytest.raises(ValidationError) as refused:
        support_visit_create(
            project=project,
            user=project.vendor_pm,
            starts_on=WENT_LIVE,
            ends_on=WENT_LIVE,
            consultant=project.vendor_pm,
        )

    assert refused.value.message_dict == {"starts_on": ["现场支持在上线之后：支持安排不能早于系统上线日期。"]}
    assert SupportVisit.objects.filter(project=project).count() == 0


def test_only_the_vendor_pm_schedules_visits():
    project = live_project()

    with pytest.raises(PermissionDenied):
        support_visit_create(
            project=project,
            user=project.customer_lead,
            starts_on=WENT_LIVE,
            ends_on=WENT_LIVE,
            consultant=project.vendor_pm,
        )

    assert SupportVisit.objects.filter(project=project).count() == 0


# --- What the problem page offers, from the state machine ---------------------------------------


@pytest.mark.parametrize(
    ("status", "vendor_actions", "lead_actions"),
    [
        (ProblemStatus.OPEN, ["start", "resolve"], []),
        (ProblemStatus.IN_PROGRESS, ["resolve"], []),
        (ProblemStatus.RESOLVED, ["close", "reopen"], ["close", "reopen"]),
        (ProblemStatus.CLOSED, ["reopen"], ["reopen"]),
    ],
)
def test_problem_page_offers_the_transitions_the_state_machine_allows(status, vendor_actions, lead_actions):
    problem = OperationProblemFactory(status=status)
    project = problem.project

    offered = pages.problem_actions(project=project, problem=problem, user=project.vendor_pm, vendor=True)
    for_lead = pages.problem_actions(project=project, problem=problem, user=project.customer_lead, vendor=False)
    for_outsider = pages.problem_actions(project=project, problem=problem, user=CustomerUserFactory(), vendor=False)

    assert [action["name"] for action in offered] == vendor_actions
    assert [action["name"] for action in for_lead] == lead_actions
    assert for_outsider == []
