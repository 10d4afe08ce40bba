"""The phase gates read the deliverable catalogue (DeliverableType.gate_required), not a list in code."""

from __future__ import annotations

import datetime
import json

import pytest
from django.urls import reverse

from documents.catalogue import STANDARD_CATALOGUE
from documents.enums import VersionState
from documents.models import DeliverableType
from projects.enums import Phase, Service
from projects.lifecycle import project_gate_missing
from projects.tests.factories import ProjectFactory

from .factories import DeliverableFactory, VersionFactory

pytestmark = pytest.mark.django_db

INTERNAL_CLOSING = ["project_summary_report", "handover_record"]


def _project(phase: str, **fields):
    """A project in ``phase`` whose non-deliverable gate conditions are all met."""
    return ProjectFactory(phase=phase, kickoff_held_on=datetime.date(2026, 1, 5), **fields)


def _version(project, code: str, state: str = VersionState.CONFIRMED):
    deliverable = DeliverableFactory(project=project, type=DeliverableType.objects.get(code=code))
    return VersionFactory(deliverable=deliverable, state=state)


def _deliverable_items(project) -> list[str]:
    """The gate's missing items that are about deliverables (their labels name the type)."""
    names = [t.name_zh for t in DeliverableType.objects.all()]
    return [item for item in project_gate_missing(project) if any(item.startswith(name) for name in names)]


def test_the_migrated_catalogue_is_the_standard_one():
    rows = {
        t.code: (t.phase, t.internal, t.gate_required, t.gate_phase, t.golive_only, t.signer_roles)
        for t in DeliverableType.objects.all()
    }

    assert rows == {
        code: (phase, internal, bool(gate), gate if isinstance(gate, str) else "", golive_only, list(signers))
        for code, _zh, _en, phase, internal, gate, golive_only, signers in STANDARD_CATALOGUE
    }


def test_the_migrated_gates_are_the_former_hard_coded_list():
    gates = {t.code: t.gate for t in DeliverableType.objects.filter(gate_required=True)}

    assert gates == {
        "contact_directory": Phase.INITIATION,
        "requirements_confirmation": Phase.PLANNING,
        "project_plan": Phase.PLANNING,
        "implementation_report": Phase.EXECUTION,
        "golive_confirmation": Phase.CLOSING,
        "final_acceptance_report": Phase.CLOSING,
        "project_summary_report": Phase.CLOSING,
        "handover_record": Phase.CLOSING,
    }


def test_initiation_needs_the_contact_directory_only_when_the_contract_asks():
    asks = _project(Phase.INITIATION, contact_directory_required=True)
    does_not = _project(Phase.INITIATION, contact_directory_required=False)

    assert project_gate_missing(asks)[-1:] == ["项目组织通讯录已经客户方负责人确认"]
    assert _deliverable_items(does_not) == []

    _version(asks, "contact_directory")
    assert _deliverable_items(asks) == []


def test_planning_needs_requirements_and_plan_confirmed():
    project = _project(Phase.PLANNING)
    assert project_gate_missing(project) == ["需求确认单已经客户方负责人确认", "项目计划已经客户方负责人确认"]

    _version(project, "requirements_confirmation")
    _version(project, "project_plan", VersionState.SUBMITTED)

    assert project_gate_missing(project) == ["项目计划已经客户方负责人确认"]


def test_execution_needs_the_implementation_report_issued():
    project = _project(Phase.EXECUTION)
    assert project_gate_missing(project) == ["实施交付报告已发布"]

    _version(project, "implementation_report", VersionState.SUBMITTED)

    assert project_gate_missing(project) == []


def test_closing_with_golive_needs_the_golive_confirmation_and_the_internal_records():
    project = _project(Phase.CLOSING, golive_applies=True)

    assert _deliverable_items(project) == [
        "上线确认单已签署或视为确认",
        "项目总结报告已确认（内部）",
        "项目交接记录已确认（内部）",
    ]
    for code in INTERNAL_CLOSING:
        _version(project, code)
    _version(project, "golive_confirmation", VersionState.DEEMED_ACCEPTED)
    assert _deliverable_items(project) == []


def test_closing_with_acceptance_in_the_contract_needs_the_final_acceptance_too():
    project = _project(Phase.CLOSING, golive_applies=True, services=[Service.DEPLOYMENT, Service.ACCEPTANCE])
    for code in [*INTERNAL_CLOSING, "golive_confirmation"]:
        _version(project, code)

    assert _deliverable_items(project) == ["项目终验报告已签署"]


def test_closing_without_golive_needs_the_final_acceptance():
    project = _project(Phase.CLOSING, golive_applies=False)
    for code in INTERNAL_CLOSING:
        _version(project, code)
    assert _deliverable_items(project) == ["项目终验报告已签署"]

    _version(project, "final_acceptance_report")

    assert _deliverable_items(project) == []


def test_closed_project_has_no_deliverable_conditions():
    assert _deliverable_items(_project(Phase.CLOSED)) == []


def test_gate_phase_moves_a_deliverable_to_another_gate():
    DeliverableType.objects.filter(code="project_plan").update(gate_phase=Phase.EXECUTION)

    assert project_gate_missing(_project(Phase.PLANNING)) == ["需求确认单已经客户方负责人确认"]
    assert project_gate_missing(_project(Phase.EXECUTION)) == ["项目计划已经客户方负责人确认", "实施交付报告已发布"]


# --- The admin's choice takes effect ------------------------------------------------------------


def _admin_form(deliverable_type: DeliverableType, **changes) -> dict:
    data = {
        "code": deliverable_type.code,
        "name_zh": deliverable_type.name_zh,
        "name_en": deliverable_type.name_en,
        "phase": deliverable_type.phase,
        "gate_phase": deliverable_type.gate_phase,
        "signer_roles": json.dumps(deliverable_type.signer_roles),
        "position": deliverable_type.position,
    }
    flags = {
        "internal": deliverable_type.internal,
        "gate_required": deliverable_type.gate_required,
        "golive_only": deliverable_type.golive_only,
    }
    flags.update({key: value for key, value in changes.items() if key in flags})
    data.update({key: value for key, value in changes.items() if key not in flags})
    data.update({key: "on" for key, ticked in flags.items() if ticked})
    return data


def _admin_save(admin_client, code: str, **changes):
    deliverable_type = DeliverableType.objects.get(code=code)
    url = reverse("admin:documents_deliverabletype_change", args=[deliverable_type.pk])
    return admin_client.post(url, _admin_form(deliverable_type, **changes))


def test_unticking_gate_required_in_the_admin_drops_it_from_the_gate(admin_client):
    project = _project(Phase.PLANNING)

    response = _admin_save(admin_client, "project_plan", gate_required=False)

    assert response.status_code == 302
    assert project_gate_missing(project) == ["需求确认单已经客户方负责人确认"]


def test_ticking_gate_required_in_the_admin_adds_it_to_the_gate(admin_client):
    project = _project(Phase.CLOSING, golive_applies=False)
    for code in [*INTERNAL_CLOSING, "final_acceptance_report"]:
        _version(project, code)

    response = _admin_save(admin_client, "operation_problem_log", gate_required=True)

    assert response.status_code == 302
    assert _deliverable_items(project) == ["系统运行问题跟踪记录单已经客户方负责人确认"]


def test_the_admin_edits_the_signers_in_order(admin_client):
    response = _admin_save(
        admin_client, "requirements_confirmation", signer_roles='["customer_lead", "customer_tech_lead"]'
    )

    assert response.status_code == 302
    assert DeliverableType.objects.get(code="requirements_confirmation").signer_roles == [
        "customer_lead",
        "customer_tech_lead",
    ]


@pytest.mark.parametrize(
    ("signers", "message"),
    [
        ('["customer_lead", "ceo"]', "请按顺序列出签署人角色，每个角色须为以下之一："),
        ('"customer_lead"', "请按顺序列出签署人角色，每个角色须为以下之一："),
        ('["customer_lead", "customer_lead"]', "同一角色只能签署一次。"),
    ],
)
def test_the_admin_refuses_unknown_or_repeated_signer_roles(admin_client, signers, message):
    response = _admin_save(admin_client, "requirements_confirmation", signer_roles=signers)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["signer_roles"]
    assert [error[: len(message)] for error in errors] == [message]
    assert DeliverableType.objects.get(code="requirements_confirmation").signer_roles == ["customer_lead"]
