"""The gates of §3.1 as a pure function of a project's facts, and the timeline.

The deliverables a gate needs come from the documents catalogue: documents/tests/test_gates.py."""

from __future__ import annotations

import pytest
from django.utils import translation

from projects.enums import MemberRole
from projects.lifecycle import GateFacts, gate_checklist, gate_missing_items, phase_timeline

pytestmark = pytest.mark.django_db


def _facts(**overrides: object) -> GateFacts:
    values = {
        "phase": "initiation",
        "kickoff_done": True,
        "vendor_pm_named": True,
        "customer_lead_named": True,
        "roles_present": frozenset(
            [
                MemberRole.CUSTOMER_PM,
                MemberRole.CUSTOMER_TECH_LEAD,
                MemberRole.VENDOR_PM,
                MemberRole.PRESALES,
                MemberRole.DELIVERY_CONSULTANT,
                MemberRole.SALES_MANAGER,
            ]
        ),
    }
    values.update(overrides)
    return GateFacts(**values)


def test_gate_initiation_met_when_everything_is_there():
    assert gate_missing_items(_facts()) == []


def test_gate_initiation_lists_every_missing_item_in_chinese():
    facts = _facts(
        kickoff_done=False,
        customer_lead_named=False,
        vendor_pm_named=False,
        roles_present=frozenset([MemberRole.VENDOR_PM, MemberRole.ENGINEER]),
    )

    assert gate_missing_items(facts) == [
        "已召开项目启动会",
        "已指定交付方项目经理",
        "已指定客户方项目负责人",
        "项目组包含客户方项目经理",
        "项目组包含客户方技术负责人",
        "项目组包含售前顾问",
        "项目组包含交付顾问",
        "项目组包含销售经理",
    ]


def test_gate_initiation_lists_missing_items_in_english():
    facts = _facts(kickoff_done=False, roles_present=frozenset())

    with translation.override("en"):
        missing = gate_missing_items(facts)

    assert missing == [
        "Kick-off meeting held",
        "Team includes a Customer project manager",
        "Team includes a Customer technical lead",
        "Team includes a Vendor project manager",
        "Team includes a Presales consultant",
        "Team includes a Delivery consultant",
        "Team includes a Sales manager",
    ]


def test_gate_lists_the_deliverable_items_after_the_phase_conditions():
    from projects.lifecycle import GateItem

    facts = _facts(
        phase="planning",
        deliverables=(
            GateItem("需求确认单已经客户方负责人确认", True),
            GateItem("项目计划已经客户方负责人确认", False),
        ),
        extra_items=(GateItem("另一项", False),),
    )

    assert gate_missing_items(facts) == ["项目计划已经客户方负责人确认", "另一项"]


def test_gate_closed_project_has_no_conditions():
    assert gate_checklist(_facts(phase="closed")) == []


def test_phase_timeline_marks_done_current_and_upcoming():
    steps = phase_timeline("execution")

    assert [(step.phase, step.label, step.state) for step in steps] == [
        ("initiation", "启动", "done"),
        ("planning", "规划", "done"),
        ("execution", "执行", "current"),
        ("closing", "收尾", "upcoming"),
    ]


def test_phase_timeline_of_closed_project_is_all_done():
    assert [step.state for step in phase_timeline("closed")] == ["done", "done", "done", "done"]
