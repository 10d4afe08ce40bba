from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import GET_STATE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from accounts.enums import OrganizationKind
from accounts.models import Organization
from delivery.people import display_name
from delivery.validators import validate_mobile

from .enums import (
    CHECKLIST_FINISHED,
    CUSTOMER_ROLES,
    PHASE_ORDER,
    RISK_LEVEL_SCORE,
    ChecklistStatus,
    GoLiveBasis,
    MemberRole,
    Phase,
    Rag,
    ReportStatus,
    ResponsibilityKind,
    RiskLevel,
    RiskStatus,
    Service,
    Share,
    Side,
    WorkItemKind,
    phase_next,
    phase_previous,
    role_side,
)
from .lifecycle import project_gate_passed
from .permissions import project_user_can_manage, project_user_is_admin

# Path segments of the projects URLs that a project code must not shadow.
RESERVED_CODES = {"new"}

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$", _("Use letters, digits, hyphens and underscores only, e.g. HX-2026-001.")
)


def _next_phase(project: Project, *args: object, **kwargs: object) -> str | None:
    return phase_next(project.phase)


def _previous_phase(project: Project, *args: object, **kwargs: object) -> str | None:
    return phase_previous(project.phase)


class Project(ConcurrentTransitionMixin, models.Model):
    """A delivery project created from a contract (§1), moving through the process groups of §3.1."""

    code = models.CharField(_("project code"), max_length=32, unique=True, validators=[code_validator])
    name = models.CharField(_("project name"), max_length=200)
    customer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="projects",
        limit_choices_to={"kind": OrganizationKind.CUSTOMER},
        verbose_name=_("customer"),
    )
    contract_number = models.CharField(_("contract number"), max_length=64)
    contract_date = models.DateField(_("contract date"))
    services = models.JSONField(_("services bought"), default=list, blank=True)
    services_other = models.CharField(_("other services"), max_length=200, blank=True)
    golive_applies = models.BooleanField(_("go-live applies"), default=True)
    golive_basis = models.CharField(_("go-live decided by"), max_length=20, choices=GoLiveBasis.choices)
    golive_note = models.CharField(_("go-live note"), max_length=300, blank=True)
    planned_start = models.DateField(_("planned start"))
    planned_end = models.DateField(_("planned end"))
    vendor_pm = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="managed_projects",
        verbose_name=_("vendor project manager"),
    )
    customer_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
        verbose_name=_("customer project lead"),
    )
    # The vendor's project lead who signs for the vendor where a deliverable asks for it (final
    # acceptance, §2); a vendor manager other than the PM may be named. Empty: the PM.
    vendor_lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vendor project lead"),
        help_text=_("Signs for the vendor where a deliverable asks for the vendor's project lead; empty: the PM."),
    )
    kickoff_held_on = models.DateField(_("kick-off held on"), null=True, blank=True)
    # §3.1.4 / §5: the day the system went live, actual (go-live confirmation signed) or deemed.
    # It opens the compensation-claim windows of changes 4.1 and 4.2.
    golive_on = models.DateField(_("went live on"), null=True, blank=True)
    contact_directory_required = models.BooleanField(
        _("contract asks for a contact directory"),
        default=True,
        help_text=_("When ticked, leaving initiation needs the confirmed project contact directory (§2)."),
    )
    phase = FSMField(_("phase"), default=Phase.INITIATION, choices=Phase.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["phase"], name="project_phase_idx"),
            # The project list's order: a page reads 25 rows in index order instead of sorting all.
            models.Index(fields=["-created_at", "-id"], name="project_created_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=models.F("planned_start")), name="project_end_after_start"
            )
        ]
        verbose_name = _("project")
        verbose_name_plural = _("projects")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def clean(self) -> None:
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            raise ValidationError({"planned_end": _("The planned end cannot be before the planned start.")})
        if self.code and self.code.lower() in RESERVED_CODES:
            raise ValidationError({"code": _("This code is reserved; choose another one.")})

    @property
    def vendor_signer_id(self) -> int | None:
        """The vendor's project lead who signs: the one named, else the PM."""
        return self.vendor_lead_id or self.vendor_pm_id

    @property
    def vendor_signer(self):
        return self.vendor_lead if self.vendor_lead_id else self.vendor_pm

    @property
    def service_labels(self) -> list[str]:
        """The services bought, in the reader's language ("other" is shown by its free text)."""
        return [Service(code).label for code in self.services if code in Service.values and code != Service.OTHER]

    # --- Phase transitions (§3.1). State changes only; services check permissions and log. -----

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=phase,
        source=Phase.INITIATION,
        target=Phase.PLANNING,
        conditions=[project_gate_passed],
        permission=project_user_can_manage,
        custom={"label": _("Start planning")},
    )
    def start_planning(self, by=None, description=None) -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=phase,
        source=Phase.PLANNING,
        target=Phase.EXECUTION,
        conditions=[project_gate_passed],
        permission=project_user_can_manage,
        custom={"label": _("Start execution")},
    )
    def start_execution(self, by=None, description=None) -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=phase,
        source=Phase.EXECUTION,
        target=Phase.CLOSING,
        conditions=[project_gate_passed],
        permission=project_user_can_manage,
        custom={"label": _("Start closing")},
    )
    def start_closing(self, by=None, description=None) -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=phase,
        source=Phase.CLOSING,
        target=Phase.CLOSED,
        conditions=[project_gate_passed],
        permission=project_user_can_manage,
        custom={"label": _("Close the project")},
    )
    def close(self, by=None, description=None) -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=phase,
        source=PHASE_ORDER[:-1],
        target=GET_STATE(_next_phase, states=PHASE_ORDER[1:]),
        permission=project_user_is_admin,
        custom={"label": _("Force to the next phase"), "form": "projects.forms.PhaseReasonForm"},
    )
    def force_advance(self, by=None, description=None) -> None:
        pass

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=phase,
        source=PHASE_ORDER[1:],
        target=GET_STATE(_previous_phase, states=PHASE_ORDER[:-1]),
        permission=project_user_is_admin,
        custom={"label": _("Move back one phase"), "form": "projects.forms.PhaseReasonForm"},
    )
    def move_back(self, by=None, description=None) -> None:
        pass


# The normal forward transition out of each phase, by method name.
ADVANCE_TRANSITIONS = {
    Phase.INITIATION: "start_planning",
    Phase.PLANNING: "start_execution",
    Phase.EXECUTION: "start_closing",
    Phase.CLOSING: "close",
}


class ProjectMember(models.Model):
    """A person in the project team with a role on one side; the contact directory is this list."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="members", verbose_name=_("project"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="project_memberships",
        verbose_name=_("person"),
    )
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    role = models.CharField(_("role"), max_length=32, choices=MemberRole.choices)
    # Contact details as they appear in the project contact directory (§2); filled from the
    # person's profile when added, and editable per project.
    position = models.CharField(_("position"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True, validators=[validate_mobile])
    email = models.EmailField(_("e-mail"), blank=True)
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        ordering = ["side", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "user", "role"],
                name="member_unique_role",
                violation_error_message=_("This person already has this role in the project."),
            ),
            models.CheckConstraint(
                condition=(Q(side=Side.CUSTOMER) & Q(role__in=CUSTOMER_ROLES))
                | (Q(side=Side.VENDOR) & ~Q(role__in=CUSTOMER_ROLES)),
                name="member_role_matches_side",
            ),
        ]
        verbose_name = _("project member")
        verbose_name_plural = _("project members")

    def __str__(self) -> str:
        return f"{display_name(self.user)} ({self.get_role_display()})"

    @property
    def name(self) -> str:
        return display_name(self.user)

    def clean(self) -> None:
        if self.role and self.side and role_side(self.role) != self.side:
            raise ValidationError({"role": _("This role belongs to the other side.")})


class WorkItem(models.Model):
    """A line of the division of labour (§3.1.3, §3.1.4): each side responsible (√√) or assisting (√)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="work_items", verbose_name=_("project"))
    kind = models.CharField(_("standard item"), max_length=32, choices=WorkItemKind.choices, blank=True)
    name = models.CharField(_("work item"), max_length=200, blank=True)
    vendor_share = models.CharField(_("vendor"), max_length=16, choices=Share.choices, default=Share.RESPONSIBLE)
    customer_share = models.CharField(_("customer"), max_length=16, choices=Share.choices, default=Share.ASSISTING)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="") | ~Q(name=""), name="workitem_kind_or_name"),
        ]
        verbose_name = _("work item")
        verbose_name_plural = _("work items")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        """Standard items are shown in the reader's language; custom ones as typed."""
        return self.get_kind_display() if self.kind else self.name


class ResponsibilityItem(models.Model):
    """One duty of one side under §5, tracked as a checklist item on the project."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("project")
    )
    kind = models.CharField(_("standard item"), max_length=32, choices=ResponsibilityKind.choices, blank=True)
    text = models.CharField(_("item"), max_length=300, blank=True)
    side = models.CharField(_("side"), max_length=16, choices=Side.choices)
    status = models.CharField(_("status"), max_length=16, choices=ChecklistStatus.choices, default=ChecklistStatus.OPEN)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        indexes = [models.Index(fields=["project", "status", "due_date"], name="responsibility_due_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(kind="") | ~Q(text=""), name="responsibility_kind_or_text"),
        ]
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")

    def __str__(self) -> str:
        return str(self.label)

    @property
    def label(self) -> str:
        return self.get_kind_display() if self.kind else self.text

    def is_overdue(self, today: datetime.date) -> bool:
        return bool(self.due_date and self.due_date < today and self.status not in CHECKLIST_FINISHED)


class Risk(models.Model):
    """The risk register, part of monitoring (§3.1): from creation until the project is closed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="risks", verbose_name=_("project"))
    description = models.TextField(_("description"))
    probability = models.CharField(_("probability"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    impact = models.CharField(_("impact"), max_length=8, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        verbose_name=_("owner"),
    )
    response = models.TextField(_("response"), blank=True)
    response_due = models.DateField(
        _("response due"), null=True, blank=True, help_text=_("When the response must be in place; escalated after.")
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["status", "-created_at", "-id"]
        indexes = [models.Index(fields=["project", "status"], name="risk_status_idx")]
        verbose_name = _("risk")
        verbose_name_plural = _("risks")

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def score(self) -> int:
        """Probability × impact, 1 to 9."""
        return RISK_LEVEL_SCORE.get(self.probability, 0) * RISK_LEVEL_SCORE.get(self.impact, 0)

    def is_overdue(self, today: datetime.date) -> bool:
        return bool(self.status == RiskStatus.OPEN and self.response_due and self.response_due < today)


class StatusReport(models.Model):
    """A status report to the customer lead: the vendor's reporting duty under §5.

    Written as a draft (editable), then published: only then does the customer side see it and
    is told. The reporting period lies inside the project's planned dates.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="status_reports", verbose_name=_("project")
    )
    report_date = models.DateField(_("report date"))
    period_start = models.DateField(_("period from"), null=True)
    period_end = models.DateField(_("period to"), null=True)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    rag = models.CharField(_("overall status"), max_length=8, choices=Rag.choices, default=Rag.GREEN)
    # [{"name": milestone name, "percent": 0–100}], from the project plan's milestones.
    milestone_progress = models.JSONField(_("percent complete per milestone"), default=list, blank=True)
    progress_summary = models.TextField(_("progress summary"))
    known_risks = models.TextField(_("known risks"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)

    class Meta:
        ordering = ["-report_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")) | Q(period_start__isnull=True),
                name="status_report_period_ordered",
            )
        ]
        verbose_name = _("status report")
        verbose_name_plural = _("status reports")

    def __str__(self) -> str:
        return f"{self.project.code} {self.report_date:%Y-%m-%d}"

    @property
    def is_draft(self) -> bool:
        return self.status == ReportStatus.DRAFT


class KickoffMeeting(models.Model):
    """The kick-off meeting of §3.1 (initiation): its record, confirmed by the customer lead.

    The confirmation is the gate item "kick-off done"; it sets ``Project.kickoff_held_on``.
    """

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="kickoff", verbose_name=_("project"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    vendor_attendees = models.TextField(_("vendor attendees"), help_text=_("One person per line."))
    customer_attendees = models.TextField(_("customer attendees"), help_text=_("One person per line."))
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        verbose_name = _("kick-off meeting")
        verbose_name_plural = _("kick-off meetings")

    def __str__(self) -> str:
        return f"{self.project.code} {self.held_on:%Y-%m-%d}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
