"""After closing the clocks stop: nothing of a closed project is overdue any more; the list, the
dashboard and the overview show what it was closed with instead (issue: a closing that checks)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory
from projects.enums import Phase, RiskStatus
from projects.selectors import project_closed_with, project_list_filtered

from .factories import ProjectFactory, RiskFactory

pytestmark = pytest.mark.django_db
PAST = datetime.date(2020, 1, 1)


def _with_loose_ends(**kwargs):
    """A project with 5 overdue customer-side checklist items, 2 open risks (overdue) and 1 closed."""
    project = ProjectFactory(**kwargs)
    project.responsibilities.filter(side="customer").update(due_date=PAST)
    RiskFactory.create_batch(2, project=project, response_due=PAST)
    RiskFactory(project=project, status=RiskStatus.CLOSED)
    return project


def test_closed_project_in_the_list_is_settled(client):
    project = _with_loose_ends(phase=Phase.CLOSED)
    unfinished = project.responsibilities.exclude(status__in=["done", "not_applicable"]).count()
    client.force_login(project.vendor_pm)

    response = client.get(reverse("projects:list"))

    row = response.context["page"][0]
    assert (row.overdue_count, row.open_risk_count, row.unfinished_count) == (0, 2, unfinished)
    html = response.content.decode()
    assert "逾期 5 项" not in html
    assert '<span class="badge text-bg-secondary project-closed">已关闭</span>' in html
    assert f"关闭时遗留 2 个未关闭风险, {unfinished} 项未完成的职责事项" in html


def test_open_project_in_the_list_still_shows_its_overdue_items(client):
    project = _with_loose_ends(phase=Phase.EXECUTION)
    client.force_login(project.vendor_pm)

    html = client.get(reverse("projects:list")).content.decode()

    assert "逾期 5 项" in html
    assert "未关闭风险 2 个" in html
    assert "关闭时遗留" not in html


def test_closed_project_is_not_found_by_the_overdue_filter():
    admin = AdminUserFactory()
    closed = _with_loose_ends(phase=Phase.CLOSED)
    running = _with_loose_ends(phase=Phase.EXECUTION)

    found = project_list_filtered(user=admin, has_overdue=True)

    assert [project.pk for project in found] == [running.pk]
    assert closed.pk not in [project.pk for project in found]


def test_closed_project_without_loose_ends_shows_closed_only(client):
    project = ProjectFactory(phase=Phase.CLOSED)
    project.responsibilities.update(status="done")
    client.force_login(project.vendor_pm)

    html = client.get(reverse("projects:list")).content.decode()

    assert '<span class="badge text-bg-secondary project-closed">已关闭</span>' in html
    assert "关闭时遗留" not in html


def test_dashboard_card_of_a_closed_project_is_settled(client):
    project = _with_loose_ends(phase=Phase.CLOSED)
    client.force_login(project.vendor_pm)

    html = client.get(reverse("dashboard")).content.decode()

    assert "project-closed-with" in html
    assert "逾期 5 项" not in html


def test_overview_of_a_closed_project_shows_what_it_was_closed_with(client):
    project = _with_loose_ends(phase=Phase.CLOSED)
    closed_with = project_closed_with(project=project)
    client.force_login(project.vendor_pm)

    html = client.get(reverse("projects:detail", args=[project.code])).content.decode()

    assert closed_with.open_risks == 2
    items = closed_with.unfinished_items
    assert f'<p class="mt-2 mb-0" id="closed-with">关闭时遗留 2 个未关闭风险, {items} 项未完成的职责事项</p>' in html
    assert 'class="table-danger"' not in html  # no checklist row is overdue any more
    assert "risk-overdue" not in html
    assert html.count('<span class="badge text-bg-secondary risk-open-at-closing">项目关闭时未关闭</span>') == 2


def test_overview_of_an_open_project_keeps_its_overdue_marks(client):
    project = _with_loose_ends(phase=Phase.EXECUTION)
    client.force_login(project.vendor_pm)

    html = client.get(reverse("projects:detail", args=[project.code])).content.decode()

    assert 'id="closed-with"' not in html
    assert 'class="table-danger"' in html
    assert html.count("risk-overdue") == 2


def test_closed_with_is_none_for_a_running_project():
    assert project_closed_with(project=ProjectFactory(phase=Phase.EXECUTION)) is None
