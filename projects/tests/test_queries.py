"""Every page runs the same number of queries with 1 and with 20 projects, members, risks, reports."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminUserFactory, make_vendor_manager
from deadlines.services import deadline_open
from projects.enums import MemberRole
from projects.services import project_phase_force

from .factories import ProjectFactory, ProjectMemberFactory, RiskFactory, StatusReportFactory

pytestmark = pytest.mark.django_db

# session, user, unread notifications (context processor): every logged-in page.
BASE = 3


def _project_with(count: int):
    """A project with ``count`` extra members, risks, status reports, work items and phase changes."""
    project = ProjectFactory()
    for _ in range(count):
        ProjectMemberFactory(project=project, role=MemberRole.ENGINEER)
        ProjectMemberFactory(project=project, role=MemberRole.CUSTOMER_MEMBER)
        RiskFactory(project=project)
        StatusReportFactory(project=project)
    project.responsibilities.update(due_date=datetime.date(2020, 1, 1))
    admin = AdminUserFactory()
    for _ in range(min(count, 3)):
        project_phase_force(project=project, user=admin, reason="测试")
    return project


@pytest.mark.parametrize("count", [1, 20])
def test_dashboard_query_count_is_constant(client, django_assert_num_queries, count):
    pm = AdminUserFactory()
    for _ in range(count):
        project = ProjectFactory(vendor_pm=pm)
        project.responsibilities.update(due_date=datetime.date(2020, 1, 1))
        RiskFactory(project=project, owner=pm)
        deadline_open(
            target=project, rule="final_acceptance_reminder", started_at=timezone.now(), working_days=3, recipients=[pm]
        )
    client.force_login(pm)

    # + access facts, my projects, waiting items, owned risks, upcoming items and ends (one query),
    # contractual clocks (+ what they are about), deliverables waiting for my signature, change
    # letters waiting for me, support service forms and weekly reports waiting for my signature,
    # my support roles (what waits for sales), my calendar subscription link
    with django_assert_num_queries(BASE + 13):
        response = client.get(reverse("dashboard"))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_project_list_query_count_is_constant(client, django_assert_num_queries, count):
    manager = ProjectFactory().vendor_pm
    make_vendor_manager(manager)
    for _ in range(count):
        project = ProjectFactory()
        RiskFactory(project=project)
    client.force_login(manager)

    # + access facts, PMs (filter choices), count, page rows (customers: a search box, no query)
    with django_assert_num_queries(BASE + 4):
        response = client.get(reverse("projects:list"), {"phase": "initiation"})

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_project_detail_query_count_is_constant(client, django_assert_num_queries, count):
    project = _project_with(count)
    client.force_login(project.vendor_pm)

    # + access facts, project, members, responsibilities, work items, risks, reports, phase log,
    # deliverable states for the gate, deliverables waiting for the reader; in closing (the project
    # of 20 items passed three gates) the gate also reads open problems and pending signatures
    closing_gate = 2 if project.phase == "closing" else 0
    with django_assert_num_queries(BASE + 10 + closing_gate):
        response = client.get(reverse("projects:detail", args=[project.code]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("team", 2),  # project, members
        ("work", 3),  # project, work items, responsibilities
        ("risks", 2),  # project, risks
        ("reports", 2),  # project, reports
    ],
)
def test_project_section_query_count_is_constant(client, django_assert_num_queries, count, name, queries):
    project = _project_with(count)
    client.force_login(project.vendor_pm)

    with django_assert_num_queries(BASE + 1 + queries):
        response = client.get(reverse(f"projects:{name}", args=[project.code]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_team_export_query_count_is_constant(client, django_assert_num_queries, count, fmt):
    project = _project_with(count)
    client.force_login(project.customer_lead)

    # session, user, access facts, project, members (no template: no notification count)
    with django_assert_num_queries(5):
        response = client.get(reverse("projects:team_export", args=[project.code, fmt]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        ("edit", 4),  # project, customers, vendor staff (PM, vendor lead); + customer's people for the lead
        ("member_add", 2),  # project, people
        ("risk_add", 2),  # project, team
        ("report_add", 3),  # project, the plan's latest non-draft version, else its draft
        ("work_item_add", 1),  # project
    ],
)
def test_form_page_query_count_is_constant(client, django_assert_num_queries, count, name, queries):
    project = _project_with(count)
    client.force_login(project.vendor_pm)
    extra = 1 if name == "edit" else 0

    with django_assert_num_queries(BASE + 1 + queries + extra):
        response = client.get(reverse(f"projects:{name}", args=[project.code]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 20])
def test_project_create_page_query_count_is_constant(client, django_assert_num_queries, count):
    admin = AdminUserFactory()
    ProjectFactory.create_batch(count)
    client.force_login(admin)

    # + access facts (twice-cached: once), customers, vendor staff
    with django_assert_num_queries(BASE + 3):
        response = client.get(reverse("projects:create"))

    assert response.status_code == 200
