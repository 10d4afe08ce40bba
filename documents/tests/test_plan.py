"""Project plan: required milestones, the Gantt chart, and the comparison between versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from delivery.audit import RequestMeta
from documents.content import content_diff
from documents.forms import content_problems
from documents.services import deliverable_get_or_create, version_draft_create
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db
META = RequestMeta()

PLAN = {
    "milestones": [
        {
            "uid": "m1",
            "name": "环境准备",
            "kind": "preparation",
            "planned_start": "2026-09-01",
            "planned_end": "2026-09-15",
            "status": "done",
        },
        {
            "uid": "m2",
            "name": "部署与迁移",
            "kind": "implementation",
            "planned_start": "2026-09-16",
            "planned_end": "2026-10-30",
            "status": "in_progress",
        },
        {
            "uid": "m3",
            "name": "上线切换",
            "kind": "golive",
            "planned_start": "2026-11-02",
            "planned_end": "2026-11-06",
            "status": "planned",
        },
    ],
    "activities": [{"uid": "a1", "name": "联合测试", "side": "both", "start": "2026-10-19", "end": "2026-10-30"}],
}


def test_plan_needs_preparation_implementation_and_golive_milestones():
    plan = {"milestones": PLAN["milestones"][:2], "activities": []}

    assert content_problems("project_plan", plan) == ["项目计划需包含“上线”里程碑（§2）。"]


def test_plan_milestone_ending_before_start_is_a_problem():
    plan = {
        "milestones": [
            *PLAN["milestones"],
            {"uid": "x", "name": "倒排", "kind": "other", "planned_start": "2026-12-10", "planned_end": "2026-12-01"},
        ]
    }

    assert content_problems("project_plan", plan) == ["“倒排”的结束日期早于开始日期。"]


def test_plan_comparison_shows_moved_dates_and_added_rows():
    newer = {
        "milestones": [
            PLAN["milestones"][0],
            PLAN["milestones"][1],
            {**PLAN["milestones"][2], "planned_start": "2026-11-09", "planned_end": "2026-11-13"},
            {
                "uid": "m4",
                "name": "项目验收",
                "kind": "other",
                "planned_start": "2026-12-14",
                "planned_end": "2026-12-18",
                "status": "planned",
            },
        ],
        "activities": [],
    }

    changes = content_diff(type_code="project_plan", old=PLAN, new=newer)

    assert [(c.kind, c.where, c.row) for c in changes] == [
        ("changed", "里程碑", 3),
        ("added", "里程碑", 4),
        ("removed", "活动", 1),
    ]
    assert changes[0].details == [("计划开始", "2026-11-02", "2026-11-09"), ("计划结束", "2026-11-06", "2026-11-13")]


def test_plan_page_draws_the_gantt_chart(client):
    project = ProjectFactory()
    deliverable = deliverable_get_or_create(project=project, code="project_plan")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=PLAN)
    client.force_login(project.vendor_pm)

    response = client.get(reverse("documents:version", args=[project.code, "project_plan", version.number]))

    gantt = response.context["gantt"]
    assert [(b.name, b.offset_pct, b.width_pct) for b in gantt.bars] == [
        ("环境准备", 0, 22),
        ("部署与迁移", 22, 67),
        ("上线切换", 93, 7),
        ("联合测试", 72, 18),
    ]
    assert 'class="gantt-bar kind-golive status-planned g-l-93 g-w-7"' in response.content.decode()


def test_plan_comparison_pairs_retyped_rows_by_name():
    retyped = {
        "milestones": [{**m, "uid": f"new-{m['uid']}"} for m in PLAN["milestones"]],
        "activities": [{**a, "uid": f"new-{a['uid']}"} for a in PLAN["activities"]],
    }
    retyped["milestones"][1]["status"] = "delayed"

    changes = content_diff(type_code="project_plan", old=PLAN, new=retyped)

    assert [(c.kind, c.where, c.row, c.details) for c in changes] == [
        ("changed", "里程碑", 2, [("状态", "进行中", "已延期")])
    ]


def test_plan_warnings_for_dates_outside_the_project_and_in_the_past():
    import datetime

    from documents.plan_checks import plan_warnings

    project = ProjectFactory(planned_start=datetime.date(2026, 9, 1), planned_end=datetime.date(2026, 11, 5))

    warnings = plan_warnings(project=project, content=PLAN, today=datetime.date(2026, 11, 3), draft=True)

    assert warnings == [
        "上线里程碑“上线切换”于 2026-11-06 结束，晚于项目计划结束日期 2026-11-05。",
        "里程碑“上线切换”计划于 2026-11-02 开始，该日期已经过去。",
    ]
    # A submitted plan is no longer warned about past dates; an earlier milestone outside the period is.
    early = {"milestones": [{**PLAN["milestones"][0], "planned_start": "2026-08-25"}]}
    assert plan_warnings(project=project, content=early, today=datetime.date(2026, 11, 3), draft=False) == [
        "里程碑“环境准备”（2026-08-25 – 2026-09-15）超出项目计划周期 2026-09-01 – 2026-11-05。"
    ]


def test_plan_page_warns_the_vendor_but_saves_and_shows_the_today_line(client):
    import datetime

    import time_machine

    project = ProjectFactory(planned_start=datetime.date(2026, 9, 1), planned_end=datetime.date(2026, 11, 5))
    deliverable = deliverable_get_or_create(project=project, code="project_plan")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=PLAN)
    client.force_login(project.vendor_pm)

    with time_machine.travel(datetime.datetime(2026, 10, 1, 9, 0, tzinfo=datetime.UTC), tick=False):
        response = client.get(reverse("documents:version", args=[project.code, "project_plan", version.number]))

    page = response.content.decode()
    assert response.context["plan_warnings"] == [
        "上线里程碑“上线切换”于 2026-11-06 结束，晚于项目计划结束日期 2026-11-05。"
    ]
    assert 'id="plan-warnings"' in page
    assert response.context["gantt"].today_pct == 45  # 2026-10-01 in 2026-09-01 .. 2026-11-06
    assert 'class="gantt-today g-l-45" id="gantt-today"' in page
