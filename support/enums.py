"""Choices of the technical support procedure (SPEC §6). Importable from anywhere (no model imports)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# §6: every request is titled 技术支持申请--<customer>--<project>--<sales name>--<date>. The title is
# part of the integrator's filing procedure and always Chinese, whatever the interface language.
TITLE_PREFIX = "技术支持申请"
TITLE_SEPARATOR = "--"
# Stands in the <project> part of a request that belongs to no project (non-project support).
TITLE_NO_PROJECT = "非项目"


class SupportRoleKind(models.TextChoices):
    """Who does what in the procedure; assigned per person in the admin (SupportRole)."""

    SALES = "sales", _("Sales")
    SALES_LEAD = "sales_lead", _("Sales lead")
    LOCAL_SALES_DIRECTOR = "local_sales_director", _("Local sales director")
    COMPANY_SALES_DIRECTOR = "company_sales_director", _("Company sales director")
    TECHNICAL_DIRECTOR = "technical_director", _("Technical director")
    ENGINEER = "engineer", _("Support engineer")
    ADMINISTRATION = "administration", pgettext_lazy("support role", "Administration")


# §6: a filed request is announced to these roles (the filing sales person is told as well).
FILING_RECIPIENT_ROLES = (
    SupportRoleKind.TECHNICAL_DIRECTOR,
    SupportRoleKind.SALES_LEAD,
    SupportRoleKind.LOCAL_SALES_DIRECTOR,
    SupportRoleKind.COMPANY_SALES_DIRECTOR,
    SupportRoleKind.ADMINISTRATION,
)
# Roles that see every request (besides admins); engineers see them too, to pick up new ones.
OVERSIGHT_ROLES = (*FILING_RECIPIENT_ROLES, SupportRoleKind.ENGINEER)
SALES_DIRECTOR_ROLES = (SupportRoleKind.LOCAL_SALES_DIRECTOR, SupportRoleKind.COMPANY_SALES_DIRECTOR)


class RequestState(models.TextChoices):
    """Lifecycle of a support request (SPEC §6), one service per transition:

    emergency (work started on the technical director's approval) ─file─┐
    filed (response clock running) → accepted (planning) → in progress ←┘
      → completed (engineer confirmed; sales has one working day) → confirmed (by sales or by silence)
      → closed (technical director, against the signed service form)
    A completed request that sales disputes goes back to in progress; any open request may be cancelled.
    """

    EMERGENCY = "emergency", _("Emergency: formal request pending")
    FILED = "filed", _("Filed: waiting for an engineer")
    ACCEPTED = "accepted", _("Accepted: planning")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed: waiting for sales")
    CONFIRMED = "confirmed", _("Completion confirmed")
    CLOSED = "closed", pgettext_lazy("support request state", "Closed")
    CANCELLED = "cancelled", pgettext_lazy("support request state", "Cancelled")


OPEN_STATES = (
    RequestState.EMERGENCY,
    RequestState.FILED,
    RequestState.ACCEPTED,
    RequestState.IN_PROGRESS,
    RequestState.COMPLETED,
    RequestState.CONFIRMED,
)
FINAL_STATES = (RequestState.CLOSED, RequestState.CANCELLED)
# §6: planning happens once accepted (or while emergency work runs); the work itself is
# recorded while it is under way.
PLANNING_STATES = (RequestState.EMERGENCY, RequestState.ACCEPTED, RequestState.IN_PROGRESS)
WORK_STATES = (RequestState.EMERGENCY, RequestState.IN_PROGRESS)


class SupportMode(models.TextChoices):
    ON_SITE = "on_site", _("On site")
    REMOTE = "remote", _("Remote")
    PHONE = "phone", _("Phone")


class PlanningDocumentKind(models.TextChoices):
    """§6 "Before work": the planning documents a kind of support needs."""

    PROPOSAL = "proposal", _("Proposal")
    IMPLEMENTATION_PLAN = "implementation_plan", _("Implementation plan")
    SCOPE_STATEMENT = "scope_statement", _("Scope statement")
    SCHEDULE = "schedule", _("Schedule")
    MANAGEMENT_PLAN = "management_plan", _("Management plan")


# §6: non-project support needs an implementation plan; project support the full set.
NON_PROJECT_DOCUMENTS = (PlanningDocumentKind.IMPLEMENTATION_PLAN,)
PROJECT_DOCUMENTS = (
    PlanningDocumentKind.PROPOSAL,
    PlanningDocumentKind.IMPLEMENTATION_PLAN,
    PlanningDocumentKind.SCOPE_STATEMENT,
    PlanningDocumentKind.SCHEDULE,
    PlanningDocumentKind.MANAGEMENT_PLAN,
)


def required_planning_documents(*, is_project: bool) -> tuple[str, ...]:
    return PROJECT_DOCUMENTS if is_project else NON_PROJECT_DOCUMENTS


class DeviationKind(models.TextChoices):
    """§6 "During work": what a deviation is about."""

    EFFORT = "effort", _("Effort")
    PRODUCTS = "products", _("Products sold")
    COMPANY_INTEREST = "company_interest", _("Company interest")


class DeviationResult(models.TextChoices):
    """§6 "During work": the outcome of a deviation as sales agreed it (recorded on the request)."""

    ACCEPTED = "accepted", _("Accepted as reported")
    CHANGED_SCOPE = "changed_scope", _("Scope changed")
    REFUSED = "refused", _("Refused")


class ProposalTier(models.IntegerChoices):
    """The proposal's completion, agreed in tiers ("方案完成时间商定"): the n-th working day counting
    the request's day, before 12:00 / after 12:00."""

    TIER_1 = 1, _("Tier 1: 1st working day (2nd if requested after 12:00)")
    TIER_2 = 2, _("Tier 2: 2nd working day (3rd if requested after 12:00)")
    TIER_3 = 3, _("Tier 3: 4th working day (5th if requested after 12:00)")
    TIER_4 = 4, _("Tier 4: 6th working day (7th if requested after 12:00)")
    TIER_5 = 5, _("Tier 5: 9th working day, whatever the hour of the request")


class ServiceFormState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_SIGNATURE = "awaiting_signature", _("Waiting for the customer's signature")
    SIGNED = "signed", _("Signed online")
    SIGNED_PAPER = "signed_paper", _("Signed on paper (scan uploaded)")


SIGNED_FORM_STATES = (ServiceFormState.SIGNED, ServiceFormState.SIGNED_PAPER)


class ReportState(models.TextChoices):
    """A weekly technical report: drafted by the engineer, signed by the customer or sales (§6)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for signature")
    SIGNED = "signed", _("Signed")


class EscalationPath(models.TextChoices):
    """§6 "Disputes escalate": engineer → technical director; sales → sales director."""

    ENGINEER_TO_TECHNICAL_DIRECTOR = "engineer", _("Engineer → technical director")
    SALES_TO_SALES_DIRECTOR = "sales", _("Sales → sales director")


class EscalationState(models.TextChoices):
    OPEN = "open", pgettext_lazy("escalation state", "Open")
    RESOLVED = "resolved", _("Resolved")


class EventKind(models.TextChoices):
    """The request's audit trail: who did what, when, from where."""

    EMERGENCY_STARTED = "emergency_started", _("Emergency work approved by the technical director")
    FILED = "filed", _("Request filed")
    ACCEPTED = "accepted", _("Accepted by the engineer")
    RESPONSE_OVERDUE = "response_overdue", _("Response overdue: escalated")
    RESPONSE_OVERDUE_WITHDRAWN = "response_overdue_withdrawn", _("Response overdue flag withdrawn: calendar corrected")
    BRIEFING_RECORDED = "briefing_recorded", _("Pre-work briefing recorded")
    DOCUMENT_SAVED = "document_saved", _("Planning document saved")
    WORK_STARTED = "work_started", _("Work started")
    DEVIATION_REPORTED = "deviation_reported", _("Deviation reported")
    DEVIATION_RESULT = "deviation_result", _("Agreed result of a deviation recorded by sales")
    PROPOSAL_AGREED = "proposal_agreed", _("Proposal completion agreed")
    STEP_OVERDUE = "step_overdue", _("A step of the procedure is overdue: escalated")
    OUTCOME_RECORDED = "outcome_recorded", _("Outcome recorded")
    FORM_SENT = "form_sent", _("Service form sent for signature")
    FORM_RESENT = "form_resent", _("Service form re-sent for signature")
    FORM_SIGNED = "form_signed", _("Service form signed online")
    FORM_PAPER = "form_paper", _("Signed paper service form uploaded")
    COMPLETED = "completed", _("Completion confirmed by the engineer")
    COMPLETION_OVERDUE = "completion_overdue", _("Engineer's completion confirmation overdue")
    SALES_CONFIRMED = "sales_confirmed", _("Completion confirmed by sales")
    CONFIRMED_BY_SILENCE = "confirmed_by_silence", _("Complete by silence: sales did not reply in time")
    DISPUTED = "disputed", _("Completion disputed by sales")
    CLOSED = "closed", _("Closed by the technical director")
    CANCELLED = "cancelled", _("Cancelled")
    EFFORT_SET = "effort_set", _("Effort estimate or accounting set")
    ESCALATED = "escalated", _("Escalated")
    ESCALATION_RESOLVED = "escalation_resolved", _("Escalation resolved")


# Events a customer user may see on the service form's audit trail (the PDF's last page).
SERVICE_FORM_EVENTS = (EventKind.FORM_SENT, EventKind.FORM_RESENT, EventKind.FORM_SIGNED, EventKind.FORM_PAPER)


# The procedure's clocks ("申请、确认、响应时间一览表", SPEC §6): (rule code, n-th working day for a
# request before 12:00 on a working day — counting its own day as the 1st; one day later otherwise).
# Our reading of the table's columns (the procedure names them only): 确认 = the request is accepted
# and an engineer named (the response clock, same day / next day); 响应 = the engineer's response,
# i.e. the pre-work briefing with sales is recorded (2nd / 3rd); the third column = the work starts,
# on site or remotely (4th / 5th). Kept here as data so the page, the help text and the services agree.
STEP_CLOCKS = (
    ("support_engineer_response", 2),
    ("support_work_start", 4),
)
# "方案完成时间商定": tier → (n-th working day, counted with the 12:00 cut-off?).
PROPOSAL_TIER_DAYS = {1: (1, True), 2: (2, True), 3: (4, True), 4: (6, True), 5: (9, False)}
