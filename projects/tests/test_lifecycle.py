"""The gates of §3.1 as a pure function of a project's facts, and the timeline."""

from __future__ import annotations

import pytest
from django.utils import translation

from projects.deliverables import DeliverableType, deliverable_status_for_gate
from projects.enums import MemberRole
from projects.lifecycle import GateFacts, gate_checklist, gate_missing_items, phase_timeline

from .factories import ProjectFactory

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
        "contact_directory_required": False,
        "golive_applies": True,
        "deliverables": {},
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
        contact_directory_required=True,
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
        "项目组织通讯录已经客户方负责人确认",
    ]


def test_gate_initiation_lists_missing_items_in_english():
    facts = _facts(kickoff_done=False, roles_present=frozenset(), contact_directory_required=True)

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
        "Project contact directory confirmed by the customer lead",
    ]


def test_gate_initiation_contact_directory_only_when_the_contract_asks():
    assert gate_missing_items(_facts(contact_directory_required=False)) == []
    assert (
        gate_missing_items(
            _facts(contact_directory_required=True, deliverables={DeliverableType.CONTACT_DIRECTORY: True})
        )
        == []
    )


def test_gate_planning_needs_requirements_and_plan_confirmed():
    assert gate_missing_items(_facts(phase="planning")) == [
        "需求确认单已经客户方负责人确认",
        "项目计划已经客户方负责人确认",
    ]
    assert gate_missing_items(
        _facts(phase="planning", deliverables={"requirements_confirmation": True, "project_plan": False})
    ) == ["项目计划已经客户方负责人确认"]


def test_gate_execution_needs_implementation_report_issued():
    assert gate_missing_items(_facts(phase="execution")) == ["实施交付报告已发布"]
    assert gate_missing_items(_facts(phase="execution", deliverables={"implementation_report": True})) == []


INTERNAL_CLOSING = {"project_summary_report": True, "handover_record": True}


def test_gate_closing_with_golive_needs_golive_confirmation_and_the_internal_records():
    assert gate_missing_items(_facts(phase="closing", golive_applies=True)) == [
        "上线确认单已签署或视为确认",
        "项目总结报告已确认（内部）",
        "项目交接记录已确认（内部）",
    ]
    assert gate_missing_items(_facts(phase="closing", golive_applies=True, deliverables=INTERNAL_CLOSING)) == [
        "上线确认单已签署或视为确认"
    ]


def test_gate_closing_with_acceptance_in_the_contract_needs_final_acceptance_too():
    facts = _facts(
        phase="closing",
        golive_applies=True,
        acceptance_included=True,
        deliverables={**INTERNAL_CLOSING, "golive_confirmation": True},
    )

    assert gate_missing_items(facts) == ["项目终验报告已签署"]


def test_gate_closing_lists_the_extra_items_that_are_not_met():
    from projects.lifecycle import GateItem

    facts = _facts(
        phase="closing",
        golive_applies=True,
        deliverables={**INTERNAL_CLOSING, "golive_confirmation": True},
        extra_items=(GateItem("没有未关闭的问题", True), GateItem("没有待签署的交付物（待签：项目计划 v2）", False)),
    )

    assert gate_missing_items(facts) == ["没有待签署的交付物（待签：项目计划 v2）"]


def test_gate_closing_without_golive_needs_final_acceptance():
    assert gate_missing_items(_facts(phase="closing", golive_applies=False, deliverables=INTERNAL_CLOSING)) == [
        "项目终验报告已签署"
    ]
    assert (
        gate_missing_items(
            _facts(
                phase="closing",
                golive_applies=False,
                deliverables={**INTERNAL_CLOSING, "final_acceptance_report": True},
            )
        )
        == []
    )


def test_gate_closed_project_has_no_conditions():
    assert gate_checklist(_facts(phase="closed")) == []


def test_deliverable_status_placeholder_answers_not_yet_for_each_code():
    project = ProjectFactory()

    status = deliverable_status_for_gate(project=project, codes=["project_plan", "golive_confirmation"])

    assert status == {"project_plan": False, "golive_confirmation": False}


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
