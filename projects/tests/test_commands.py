"""The demo data (idempotent, three projects in different phases) and the bench data."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from projects.models import Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem
from projects.selectors import project_list_for_user

pytestmark = pytest.mark.django_db

User = get_user_model()


def _counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (User, Project, ProjectMember, Risk, StatusReport, WorkItem, ResponsibilityItem)
    )


def test_seed_demo_is_idempotent_and_shows_the_access_rules():
    call_command("seed_demo", stdout=io.StringIO())
    first = _counts()
    changed = User.objects.get(username="lead")
    changed.set_password("someone-changed-it")
    changed.save()
    call_command("seed_demo", stdout=io.StringIO())  # resets the demo passwords

    assert _counts() == first
    assert list(Project.objects.order_by("code").values_list("code", "phase")) == [
        ("HX-2026-001", "execution"),
        ("HX-2026-002", "planning"),
        ("HX-2026-003", "initiation"),
    ]
    lead, pm = User.objects.get(username="lead"), User.objects.get(username="pm")
    assert lead.check_password("Demo-2026!")
    assert list(project_list_for_user(user=lead).values_list("code", flat=True)) == ["HX-2026-001"]
    assert sorted(project_list_for_user(user=pm).values_list("code", flat=True)) == ["HX-2026-001", "HX-2026-003"]
    assert Project.objects.get(code="HX-2026-001").members.count() == 7


def test_seed_bench_creates_projects_with_teams_risks_and_work_items():
    call_command("seed_bench", projects=3, stdout=io.StringIO())
    call_command("seed_bench", projects=2, stdout=io.StringIO())

    assert list(Project.objects.order_by("code").values_list("code", flat=True)) == [
        "BENCH-00000",
        "BENCH-00001",
        "BENCH-00002",
        "BENCH-00003",
        "BENCH-00004",
    ]
    assert (ProjectMember.objects.count(), Risk.objects.count(), WorkItem.objects.count()) == (40, 15, 25)
    assert ResponsibilityItem.objects.count() == 45
    assert StatusReport.objects.count() == 10
