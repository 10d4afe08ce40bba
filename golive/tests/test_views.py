from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerUserFactory, VendorUserFactory
from golive.enums import ProblemStatus
from golive.models import OperationProblem
from golive.services import problem_report
from projects.enums import Phase
from projects.models import Project
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

QUERIES = 6
QUERIES_OVERVIEW = 10  # + the acceptance meeting


@pytest.fixture
def project():
    project = ProjectFactory(golive_applies=True)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING)  # the notice belongs to closing
    project.refresh_from_db()
    return project


def test_every_golive_url_is_404_for_outsiders(client, project):
    problem = problem_report(
        project=project, user=project.customer_lead, description="登录缓慢", severity="major", support_mode="remote"
    )
    other = ProjectFactory()
    urls = [
        reverse("golive:overview", args=[project.code]),
        reverse("golive:problems", args=[project.code]),
        reverse("golive:problem", args=[project.code, problem.number]),
    ]
    for user in (other.customer_lead, other.vendor_pm, CustomerUserFactory(), VendorUserFactory()):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404
        assert (
            client.post(
                reverse("golive:notice_issue", args=[project.code]), {"notice-planned_start": "2026-12-01"}
            ).status_code
            == 404
        )
        assert client.post(reverse("golive:problems", args=[project.code]), {"description": "x"}).status_code == 404
    assert project.golive_notices.count() == 0
    assert OperationProblem.objects.count() == 1


def test_customer_lead_reports_and_sees_problems_but_cannot_edit_the_vendor_fields(client, project):
    client.force_login(project.customer_lead)

    response = client.post(
        reverse("golive:problems", args=[project.code]),
        {"description": "邮件收发延迟", "severity": "critical", "support_mode": "phone"},
    )

    assert response.status_code == 302
    problem = OperationProblem.objects.get()
    assert (problem.number, problem.severity, problem.reported_by) == (1, "critical", project.customer_lead)
    page = client.get(reverse("golive:problem", args=[project.code, 1]))
    assert page.context["form"] is None
    client.post(reverse("golive:problem", args=[project.code, 1]), {"action": "resolve"})
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_vendor_resolves_and_customer_reopens(client, project):
    problem = problem_report(
        project=project, user=project.customer_lead, description="无法登录", severity="major", support_mode="remote"
    )
    client.force_login(project.vendor_pm)
    data = {
        "cause": "证书过期",
        "tracking": "",
        "resolution": "更新证书",
        "result": "恢复正常",
        "support_mode": "remote",
        "severity": "major",
    }

    client.post(reverse("golive:problem", args=[project.code, problem.number]), {**data, "action": "resolve"})
    problem.refresh_from_db()
    assert (problem.status, problem.cause) == (ProblemStatus.RESOLVED, "证书过期")

    client.force_login(project.customer_lead)
    client.post(
        reverse("golive:problem", args=[project.code, problem.number]), {"action": "reopen", "reason": "又无法登录"}
    )
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_problem_report_with_bad_input_shows_errors_and_saves_nothing(client, project):
    client.force_login(project.customer_lead)

    response = client.post(
        reverse("golive:problems", args=[project.code]),
        {"description": "", "severity": "nonsense", "support_mode": "remote"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["description"] == ["这个字段是必填项。"]
    assert OperationProblem.objects.count() == 0


def test_notice_form_with_bad_date_shows_error_and_changes_nothing(client, project):
    client.force_login(project.vendor_pm)

    response = client.post(reverse("golive:notice_issue", args=[project.code]), {"notice-planned_start": "not a date"})

    assert response.status_code == 200
    assert response.context["notice_form"].errors["planned_start"] == ["输入一个有效的日期。"]
    assert project.golive_notices.count() == 0


@pytest.mark.parametrize("count", [1, 10])
def test_problem_list_query_count_is_constant(client, django_assert_num_queries, project, count):
    for i in range(count):
        problem_report(
            project=project, user=project.customer_lead, description=f"问题 {i}", severity="minor", support_mode="phone"
        )
    client.force_login(project.vendor_pm)

    with django_assert_num_queries(QUERIES):
        response = client.get(reverse("golive:problems", args=[project.code]))

    assert len(response.context["problems"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_overview_query_count_is_constant(client, django_assert_num_queries, count):
    import datetime as dt

    import time_machine

    from deadlines.calendar import calendar_invalidate, current_calendar
    from delivery.audit import RequestMeta
    from golive.services import golive_notice_issue, golive_objection_file

    project = ProjectFactory(golive_applies=True)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING)
    project.refresh_from_db()
    for i in range(count):
        with time_machine.travel(dt.datetime(2026, 11, 2 + i, 10, 0), tick=False):
            notice = golive_notice_issue(
                project=project, user=project.vendor_pm, meta=RequestMeta(), planned_start=dt.date(2026, 12, 1)
            )
            golive_objection_file(notice=notice, user=project.customer_lead, meta=RequestMeta(), reason=f"异议 {i}")
    client.force_login(project.vendor_pm)
    calendar_invalidate()
    current_calendar()  # the calendar is cached per process; load it outside the count

    with django_assert_num_queries(QUERIES_OVERVIEW):
        response = client.get(reverse("golive:overview", args=[project.code]))

    assert len(response.context["notices"]) == count


def test_objection_posted_twice_answers_the_page_with_a_message(client, project):
    import datetime as dt

    from delivery.audit import RequestMeta
    from golive.services import golive_notice_issue

    notice = golive_notice_issue(
        project=project, user=project.vendor_pm, meta=RequestMeta(), planned_start=dt.date.today()
    )
    client.force_login(project.customer_lead)
    url = reverse("golive:objection", args=[project.code, notice.pk])

    first = client.post(url, {"objection-reason": "测试环境仍有一级缺陷。"})
    second = client.post(url, {"objection-reason": "测试环境仍有一级缺陷。"})

    assert first.status_code == 302
    assert second.status_code == 200
    # The first answer's message (its redirect was not followed), then the refusal.
    assert [str(m) for m in second.context["messages"]] == [
        "您的书面异议已记录，视为接受已中止。",
        "该上线通知已不在计时中。",
    ]
    assert second.context["objection_form"] is None
    assert notice.objections.count() == 1
