"""Templates of the planning documents (§6 "Before work"): the sections each kind starts with.

A document is created from its template in the language of the engineer who starts it; the
sections are then stored with the document, so a later change here never rewrites old plans.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from .enums import PlanningDocumentKind

PLANNING_TEMPLATES = {
    PlanningDocumentKind.PROPOSAL: [
        ("background", _("Background and customer needs")),
        ("solution", _("Proposed solution")),
        ("deliverables", _("Deliverables")),
        ("resources", _("Resources and effort")),
        ("risks", _("Assumptions and risks")),
    ],
    PlanningDocumentKind.IMPLEMENTATION_PLAN: [
        ("objectives", _("Objectives and scope")),
        ("environment", _("Environment and prerequisites")),
        ("steps", _("Implementation steps")),
        ("timing", _("Time plan")),
        ("people", _("People and division of work")),
        ("rollback", _("Risks and rollback")),
        ("verification", _("Verification and acceptance")),
    ],
    PlanningDocumentKind.SCOPE_STATEMENT: [
        ("in_scope", _("In scope")),
        ("out_of_scope", _("Out of scope")),
        ("deliverables", _("Deliverables")),
        ("acceptance", _("Acceptance criteria")),
        ("constraints", _("Constraints and assumptions")),
    ],
    PlanningDocumentKind.SCHEDULE: [
        ("milestones", _("Milestones and dates")),
        ("activities", _("Activities in sequence")),
        ("dependencies", _("Dependencies on the customer")),
    ],
    PlanningDocumentKind.MANAGEMENT_PLAN: [
        ("organisation", _("Organisation and contacts")),
        ("communication", _("Communication and reporting")),
        ("risks", _("Risk management")),
        ("quality", _("Quality control")),
        ("changes", _("Change control")),
    ],
}


def planning_sections_initial(kind: str) -> list[dict]:
    """The empty sections of a new document of ``kind``, titled in the current language."""
    return [{"key": key, "title": str(title), "text": ""} for key, title in PLANNING_TEMPLATES[kind]]
