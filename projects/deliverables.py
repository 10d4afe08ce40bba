"""The deliverable types of SPEC §2 and the one question the phase gates ask about them.

The documents app owns deliverables; this module is the interface the gates use, and
``deliverable_status_for_gate`` answers from the documents' version states.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import Phase, Side

if TYPE_CHECKING:
    from .models import Project


class DeliverableType(models.TextChoices):
    CONTACT_DIRECTORY = "contact_directory", _("Project contact directory")
    REQUIREMENTS_CONFIRMATION = "requirements_confirmation", _("Requirements confirmation")
    PROJECT_PLAN = "project_plan", _("Project plan")
    IMPLEMENTATION_REPORT = "implementation_report", _("Implementation delivery report")
    GOLIVE_NOTICE = "golive_notice", _("Go-live notice")
    GOLIVE_CONFIRMATION = "golive_confirmation", _("Go-live confirmation")
    OPERATION_PROBLEM_LOG = "operation_problem_log", _("Operation problem log")
    PROJECT_SUMMARY_REPORT = "project_summary_report", _("Project summary report")
    FINAL_ACCEPTANCE_REPORT = "final_acceptance_report", _("Final acceptance report")
    HANDOVER_RECORD = "handover_record", _("Handover record")


@dataclass(frozen=True)
class DeliverableSpec:
    """§2: each type has a process group, an internal flag, the drafting side, the approving role."""

    code: DeliverableType
    phase: Phase
    internal: bool  # internal ones are never shown to customer users
    drafted_by: Side
    approved_by: str  # a MemberRole value; the customer PM is the customer's project lead
    golive_only: bool = False  # skipped by projects without go-live (§1)


DELIVERABLE_SPECS: dict[str, DeliverableSpec] = {
    spec.code: spec
    for spec in [
        DeliverableSpec(DeliverableType.CONTACT_DIRECTORY, Phase.INITIATION, False, Side.VENDOR, "customer_pm"),
        DeliverableSpec(DeliverableType.REQUIREMENTS_CONFIRMATION, Phase.PLANNING, False, Side.VENDOR, "customer_pm"),
        DeliverableSpec(DeliverableType.PROJECT_PLAN, Phase.PLANNING, False, Side.VENDOR, "customer_pm"),
        DeliverableSpec(DeliverableType.IMPLEMENTATION_REPORT, Phase.CLOSING, False, Side.VENDOR, "customer_pm"),
        DeliverableSpec(DeliverableType.GOLIVE_NOTICE, Phase.CLOSING, False, Side.VENDOR, "customer_pm", True),
        DeliverableSpec(DeliverableType.GOLIVE_CONFIRMATION, Phase.CLOSING, False, Side.VENDOR, "customer_pm", True),
        DeliverableSpec(DeliverableType.OPERATION_PROBLEM_LOG, Phase.CLOSING, False, Side.VENDOR, "customer_pm"),
        DeliverableSpec(DeliverableType.PROJECT_SUMMARY_REPORT, Phase.CLOSING, True, Side.VENDOR, "vendor_pm"),
        DeliverableSpec(DeliverableType.FINAL_ACCEPTANCE_REPORT, Phase.CLOSING, False, Side.VENDOR, "customer_pm"),
        DeliverableSpec(DeliverableType.HANDOVER_RECORD, Phase.CLOSING, True, Side.VENDOR, "vendor_pm"),
    ]
}


def deliverable_status_for_gate(*, project: Project, codes: Iterable[str]) -> dict[str, bool]:
    """For each deliverable type code: has it reached the state its gate asks for?

    True means, per type: the contact directory, requirements confirmation, project plan and
    final acceptance report are confirmed (signed or recorded offline) by the customer lead; the
    implementation delivery report is issued (submitted to the customer); the go-live
    confirmation is signed or deemed accepted (§5). One query for all codes.
    """
    from documents.selectors import deliverable_gate_status

    return deliverable_gate_status(project=project, codes=codes)


def plan_milestones(*, project: Project) -> list[str]:
    """Milestone names of the project's plan, for the status report's percent complete (§5)."""
    from documents.selectors import plan_milestone_names  # documents depends on projects, not back

    return plan_milestone_names(project=project)
