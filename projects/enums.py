"""Choices of the projects app: phases, services, team roles, division of labour, risks, checklist.

Importable from anywhere (no model imports here).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """The process groups of §3.1 in order; monitoring runs alongside and is not a phase."""

    INITIATION = "initiation", _("Initiation")
    PLANNING = "planning", _("Planning")
    EXECUTION = "execution", _("Execution")
    CLOSING = "closing", _("Closing")
    CLOSED = "closed", _("Closed")


# The four sequential process groups drawn on the timeline (§3.1); CLOSED follows the last one.
PROCESS_GROUPS = [Phase.INITIATION, Phase.PLANNING, Phase.EXECUTION, Phase.CLOSING]
PHASE_ORDER = [*PROCESS_GROUPS, Phase.CLOSED]


def phase_next(phase: str) -> str | None:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[index + 1] if index + 1 < len(PHASE_ORDER) else None


def phase_previous(phase: str) -> str | None:
    index = PHASE_ORDER.index(phase)
    return PHASE_ORDER[index - 1] if index > 0 else None


class Service(models.TextChoices):
    """Services a contract can buy (§1), any combination."""

    DEPLOYMENT = "deployment", _("Product deployment")
    UPGRADE = "upgrade", _("Product upgrade")
    DATA_MIGRATION = "data_migration", _("Data migration")
    INTEGRATION = "integration", _("Environment integration")
    SYSTEM_TESTING = "system_testing", _("System testing")
    DOCUMENTATION = "documentation", _("Documentation delivery")
    GOLIVE_CUTOVER = "golive_cutover", _("Go-live cut-over")
    ACCEPTANCE = "acceptance", _("Acceptance")
    TRAINING = "training", _("Tailored training")
    OTHER = "other", _("Other")


class GoLiveBasis(models.TextChoices):
    """Why go-live does or does not apply (§1)."""

    NEW_SYSTEM = "new_system", _("Newly bought system")
    NEW_MODULE = "new_module", _("Newly bought standard module")
    MAJOR_UPGRADE = "major_upgrade", _("Major-version upgrade")
    CONTRACT = "contract", _("Decided by the contract")
    KICKOFF = "kickoff", _("Decided at kick-off")


# §1: for these deliveries go-live always applies; otherwise the contract or the kick-off decides.
GOLIVE_MANDATORY_BASES = {GoLiveBasis.NEW_SYSTEM, GoLiveBasis.NEW_MODULE, GoLiveBasis.MAJOR_UPGRADE}


class Side(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    CUSTOMER = "customer", _("Customer")


class MemberRole(models.TextChoices):
    CUSTOMER_PM = "customer_pm", _("Customer project manager")
    CUSTOMER_TECH_LEAD = "customer_tech_lead", _("Customer technical lead")
    CUSTOMER_MEMBER = "customer_member", _("Customer team member")
    VENDOR_PM = "vendor_pm", _("Vendor project manager")
    PRESALES = "presales", _("Presales consultant")
    DELIVERY_CONSULTANT = "delivery_consultant", _("Delivery consultant")
    SALES_MANAGER = "sales_manager", _("Sales manager")
    ENGINEER = "engineer", _("Engineer")


CUSTOMER_ROLES = [MemberRole.CUSTOMER_PM, MemberRole.CUSTOMER_TECH_LEAD, MemberRole.CUSTOMER_MEMBER]
VENDOR_ROLES = [
    MemberRole.VENDOR_PM,
    MemberRole.PRESALES,
    MemberRole.DELIVERY_CONSULTANT,
    MemberRole.SALES_MANAGER,
    MemberRole.ENGINEER,
]
# §2, contact directory: the roles the initiation gate requires, in the order they are listed.
REQUIRED_ROLES = [
    MemberRole.CUSTOMER_PM,
    MemberRole.CUSTOMER_TECH_LEAD,
    MemberRole.VENDOR_PM,
    MemberRole.PRESALES,
    MemberRole.DELIVERY_CONSULTANT,
    MemberRole.SALES_MANAGER,
]
ROLE_ORDER = {role: index for index, role in enumerate([*CUSTOMER_ROLES, *VENDOR_ROLES])}


def role_side(role: str) -> Side:
    return Side.CUSTOMER if role in CUSTOMER_ROLES else Side.VENDOR


class Share(models.TextChoices):
    """A side's part in a work item (§3.1.3, §3.1.4)."""

    RESPONSIBLE = "responsible", _("Responsible (√√)")
    ASSISTING = "assisting", _("Assisting (√)")
    NONE = "none", _("Not involved")


SHARE_MARKS = {Share.RESPONSIBLE: "√√", Share.ASSISTING: "√", Share.NONE: ""}


class WorkItemKind(models.TextChoices):
    """Work items of the manual's division of labour; created for every new project."""

    INSTALL = "install", _("Installation and debugging")
    SYSTEM_TEST = "system_test", _("System test")
    DATA_MIGRATION = "data_migration", _("Data migration")
    GOLIVE = "golive", _("Go-live and cut-over")
    DELIVERY_DOCUMENTS = "delivery_documents", _("Implementation delivery report and go-live confirmation")


# §3.1.3, §3.1.4 defaults: (kind, vendor share, customer share).
DEFAULT_WORK_ITEMS = [
    (WorkItemKind.INSTALL, Share.RESPONSIBLE, Share.ASSISTING),
    (WorkItemKind.SYSTEM_TEST, Share.RESPONSIBLE, Share.RESPONSIBLE),
    (WorkItemKind.DATA_MIGRATION, Share.RESPONSIBLE, Share.RESPONSIBLE),
    (WorkItemKind.GOLIVE, Share.RESPONSIBLE, Share.RESPONSIBLE),
    (WorkItemKind.DELIVERY_DOCUMENTS, Share.RESPONSIBLE, Share.ASSISTING),
]


class ResponsibilityKind(models.TextChoices):
    """Each side's duties under §5; they become the project's responsibilities checklist."""

    PLAN_AND_MILESTONES = "plan_and_milestones", _("Plan against the confirmed scope and meet the milestone dates")
    REPORT_STATUS = (
        "report_status",
        _("Report status and known risks to the customer lead promptly and help plan responses"),
    )
    TECHNICAL_SUPPORT = "technical_support", _("Provide technical documents and support")
    TRAINING = "training", _("Deliver the contracted training")
    BRIEF_ENVIRONMENT = "brief_environment", _("Brief the vendor on the customer's environment")
    PROVIDE_INFRASTRUCTURE = "provide_infrastructure", _("Provide hardware, storage and network")
    PROVIDE_SOFTWARE = "provide_software", _("Provide licensed, installed software")
    COORDINATE_THIRD_PARTIES = "coordinate_third_parties", _("Coordinate third-party vendors for integrations")
    COORDINATE_RESOURCES = (
        "coordinate_resources",
        _("Coordinate internal and external resources and oversee schedule and quality"),
    )


DEFAULT_RESPONSIBILITIES = [
    (ResponsibilityKind.PLAN_AND_MILESTONES, Side.VENDOR),
    (ResponsibilityKind.REPORT_STATUS, Side.VENDOR),
    (ResponsibilityKind.TECHNICAL_SUPPORT, Side.VENDOR),
    (ResponsibilityKind.TRAINING, Side.VENDOR),
    (ResponsibilityKind.BRIEF_ENVIRONMENT, Side.CUSTOMER),
    (ResponsibilityKind.PROVIDE_INFRASTRUCTURE, Side.CUSTOMER),
    (ResponsibilityKind.PROVIDE_SOFTWARE, Side.CUSTOMER),
    (ResponsibilityKind.COORDINATE_THIRD_PARTIES, Side.CUSTOMER),
    (ResponsibilityKind.COORDINATE_RESOURCES, Side.CUSTOMER),
]


class ChecklistStatus(models.TextChoices):
    OPEN = "open", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Items in these states no longer count as overdue.
CHECKLIST_FINISHED = [ChecklistStatus.DONE, ChecklistStatus.NOT_APPLICABLE]


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class RiskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


# Probability × impact, each scored 1–3: a risk's score runs from 1 to 9 (§3.1 monitoring).
RISK_LEVEL_SCORE = {RiskLevel.LOW: 1, RiskLevel.MEDIUM: 2, RiskLevel.HIGH: 3}


class ReportStatus(models.TextChoices):
    """A status report is written as a draft and reaches the customer when published (§5)."""

    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class Rag(models.TextChoices):
    """The overall status of a report: on track, at risk, off track."""

    GREEN = "green", _("Green: on track")
    AMBER = "amber", _("Amber: at risk")
    RED = "red", _("Red: off track")
