"""Technical support requests (SPEC §6): the request and its lifecycle, planning documents,
deviations, the support service form, weekly technical reports, effort and escalations.

Transitions change the state and in-memory fields only; support.services runs them, checks
permissions, opens and closes the clocks, writes the audit trail and notifies after commit.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.enums import OrganizationKind
from accounts.models import Organization
from projects.models import Project

from . import permissions
from .enums import (
    OPEN_STATES,
    SIGNED_FORM_STATES,
    DeviationKind,
    DeviationResult,
    EscalationPath,
    EscalationState,
    EventKind,
    PdfStatus,
    PlanningDocumentKind,
    ProposalTier,
    ReportState,
    RequestState,
    ServiceFormState,
    SupportMode,
    SupportRoleKind,
)

_USER = settings.AUTH_USER_MODEL


class SupportRole(models.Model):
    """A person's role in the support procedure; recipients and permissions follow these rows."""

    user = models.ForeignKey(_USER, on_delete=models.CASCADE, related_name="support_roles", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=32, choices=SupportRoleKind.choices)
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)

    class Meta:
        ordering = ["role", "user__first_name", "user__username"]
        verbose_name = _("support role")
        verbose_name_plural = _("support roles")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role"],
                name="support_role_unique",
                violation_error_message=_("This person already has this role."),
            ),
            models.CheckConstraint(condition=Q(role__in=SupportRoleKind.values), name="support_role_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()} · {self.get_role_display()}"

    def clean(self) -> None:
        profile = getattr(self.user, "profile", None) if self.user_id else None
        organization = getattr(profile, "organization", None)
        if self.user_id and (organization is None or organization.kind != OrganizationKind.VENDOR):
            raise ValidationError({"user": _("Support roles are for people of the vendor organisation.")})


class SupportRequest(ConcurrentTransitionMixin, models.Model):
    title = models.CharField(_("title"), max_length=300, blank=True)
    customer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="support_requests",
        limit_choices_to={"kind": OrganizationKind.CUSTOMER},
        verbose_name=_("customer"),
    )
    project = models.ForeignKey(
        Project,
        on_delete=models.PROTECT,
        related_name="support_requests",
        null=True,
        blank=True,
        verbose_name=_("project"),
        help_text=_("Leave empty for non-project support."),
    )
    sales = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="support_requests_as_sales", verbose_name=_("sales")
    )
    customer_contact = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        related_name="support_requests_as_contact",
        null=True,
        blank=True,
        verbose_name=_("customer contact"),
        help_text=_("The customer's person who signs the support service form."),
    )
    engineer = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        related_name="support_requests_as_engineer",
        null=True,
        blank=True,
        verbose_name=_("engineer"),
    )
    mode = models.CharField(_("support mode"), max_length=16, choices=SupportMode.choices, default=SupportMode.ON_SITE)
    description = models.TextField(_("what is needed"))
    request_date = models.DateField(_("request date"), null=True, blank=True)
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    state = FSMField(_("state"), choices=RequestState.choices, default=RequestState.FILED, protected=True)

    # Emergency (§6): work starts on the technical director's approval; the request follows.
    is_emergency = models.BooleanField(_("emergency"), default=False)
    emergency_approved_by = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("emergency approved by"),
    )
    emergency_approved_at = models.DateTimeField(_("emergency approved"), null=True, blank=True)
    emergency_reason = models.TextField(_("reason for the emergency"), blank=True)
    # The last working day a "file the formal request" reminder went out (one per day).
    emergency_reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    response_note = models.TextField(_("first response"), blank=True)
    response_overdue_at = models.DateTimeField(_("response overdue since"), null=True, blank=True)

    # §6 "Before work": the engineer's briefing with sales (internal).
    briefing_customer_situation = models.TextField(_("customer situation"), blank=True)
    briefing_preparation = models.TextField(_("preparation"), blank=True)
    briefing_cautions = models.TextField(_("cautions"), blank=True)
    briefing_recorded_at = models.DateTimeField(_("briefing recorded"), null=True, blank=True)

    # "方案完成时间商定": the tier agreed for the proposal's completion (starts its clock).
    proposal_tier = models.PositiveSmallIntegerField(
        _("proposal completion tier"), choices=ProposalTier.choices, null=True, blank=True
    )
    proposal_agreed_at = models.DateTimeField(_("proposal completion agreed"), null=True, blank=True)

    work_started_at = models.DateTimeField(_("work started"), null=True, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    outcome_recorded_at = models.DateTimeField(_("outcome recorded"), null=True, blank=True)

    # §6 "Completion": the engineer confirms by the next working day after the form is signed.
    completion_due_at = models.DateTimeField(_("completion confirmation due"), null=True, blank=True)
    completion_overdue_at = models.DateTimeField(_("completion confirmation overdue since"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("completion confirmed"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("confirmed by")
    )
    confirmed_by_silence = models.BooleanField(_("complete by silence"), default=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("closed by")
    )
    close_note = models.TextField(_("closing note"), blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)

    created_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("support request")
        verbose_name_plural = _("support requests")
        indexes = [
            models.Index(fields=["state"], name="support_request_state_idx"),
            models.Index(fields=["customer", "state"], name="support_request_customer_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=RequestState.values), name="support_request_state_valid"),
            models.CheckConstraint(
                condition=Q(is_emergency=True) | ~Q(title=""), name="support_request_titled_unless_emergency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("support:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"TS-{self.pk:05d}" if self.pk else "TS-?"

    @property
    def is_project_support(self) -> bool:
        return self.project_id is not None

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def briefing_recorded(self) -> bool:
        return self.briefing_recorded_at is not None

    @property
    def completion_due_date(self) -> datetime.date | None:
        """The day the engineer's confirmation is due; the clock ends at its 24:00 (Asia/Shanghai)."""
        if self.completion_due_at is None:
            return None
        from deadlines.calendar import local_date

        return local_date(self.completion_due_at - datetime.timedelta(microseconds=1))

    @property
    def completion_is_overdue(self) -> bool:
        return (
            self.state == RequestState.IN_PROGRESS
            and self.completion_due_at is not None
            and timezone.now() >= self.completion_due_at
        )

    # --- transitions: state and in-memory fields only -------------------------------------------
    @transition(
        field=state,
        source=RequestState.EMERGENCY,
        target=RequestState.IN_PROGRESS,
        permission=permissions.can_file_formal,
        custom={"label": _("File the formal request")},
    )
    def file_formal(self, *, at) -> None:
        self.filed_at = at

    @transition(
        field=state,
        source=RequestState.FILED,
        target=RequestState.ACCEPTED,
        permission=permissions.can_accept,
        custom={"label": _("Accept")},
    )
    def accept(self, *, engineer, note: str, at) -> None:
        self.engineer = engineer
        self.response_note = note
        self.accepted_at = at

    @transition(
        field=state,
        source=RequestState.ACCEPTED,
        target=RequestState.IN_PROGRESS,
        permission=permissions.is_assigned_engineer,
        custom={"label": _("Start work")},
    )
    def start_work(self, *, at) -> None:
        self.work_started_at = at

    @transition(
        field=state,
        source=RequestState.IN_PROGRESS,
        target=RequestState.COMPLETED,
        permission=permissions.is_assigned_engineer,
        custom={"label": _("Confirm completion")},
    )
    def complete(self, *, at) -> None:
        self.completed_at = at

    @transition(
        field=state,
        source=RequestState.COMPLETED,
        target=RequestState.CONFIRMED,
        permission=permissions.is_request_sales,
        custom={"label": _("Confirm the work is complete")},
    )
    def sales_confirm(self, *, by, at) -> None:
        self.confirmed_by = by
        self.confirmed_at = at
        self.confirmed_by_silence = False

    @transition(field=state, source=RequestState.COMPLETED, target=RequestState.CONFIRMED)
    def confirm_by_silence(self, *, at) -> None:
        self.confirmed_at = at
        self.confirmed_by_silence = True

    @transition(
        field=state,
        source=RequestState.COMPLETED,
        target=RequestState.IN_PROGRESS,
        permission=permissions.is_request_sales,
        custom={"label": _("Dispute completion")},
    )
    def dispute(self) -> None:
        self.completed_at = None

    @transition(
        field=state,
        source=RequestState.CONFIRMED,
        target=RequestState.CLOSED,
        permission=permissions.can_technical_direct,
        custom={"label": _("Close")},
    )
    def close(self, *, by, note: str, at) -> None:
        self.closed_by = by
        self.close_note = note
        self.closed_at = at

    @transition(
        field=state,
        source=[RequestState.EMERGENCY, RequestState.FILED, RequestState.ACCEPTED, RequestState.IN_PROGRESS],
        target=RequestState.CANCELLED,
        permission=permissions.can_cancel,
        custom={"label": _("Cancel")},
    )
    def cancel(self, *, reason: str, at) -> None:
        self.cancel_reason = reason
        self.cancelled_at = at


def _planning_path(document: PlanningDocument, filename: str) -> str:
    return f"support/{document.request_id}/planning/{document.kind}-{filename}"


class PlanningDocument(models.Model):
    """A planning document (§6 "Before work"), started from its template's sections."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="planning_documents", verbose_name=_("request")
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PlanningDocumentKind.choices)
    # [{"key": ..., "title": ..., "text": ...}] in the template's order.
    sections = models.JSONField(_("sections"), default=list, blank=True)
    file = models.FileField(_("attached file"), upload_to=_planning_path, blank=True)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, blank=True)
    updated_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("last edited by"), null=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["request", "kind"]
        verbose_name = _("planning document")
        verbose_name_plural = _("planning documents")
        constraints = [
            models.UniqueConstraint(fields=["request", "kind"], name="support_planning_unique_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_kind_display()}"

    @property
    def missing_sections(self) -> list[str]:
        return [section["title"] for section in self.sections if not str(section.get("text", "")).strip()]

    @property
    def is_complete(self) -> bool:
        """Every section written, or the finished document attached as a file."""
        return bool(self.file) or (bool(self.sections) and not self.missing_sections)


class Deviation(models.Model):
    """§6 "During work": a deviation in effort, products sold or company interest (internal)."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="deviations", verbose_name=_("request")
    )
    kind = models.CharField(_("about"), max_length=20, choices=DeviationKind.choices)
    description = models.TextField(_("description"))
    reported_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by"))
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    # §6: "the outcome is recorded" — sales records the result agreed with the customer.
    result = models.CharField(_("agreed result"), max_length=20, choices=DeviationResult.choices, blank=True)
    result_note = models.TextField(_("what was agreed"), blank=True)
    result_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("recorded by")
    )
    result_at = models.DateTimeField(_("result recorded"), null=True, blank=True)

    class Meta:
        ordering = ["reported_at", "id"]
        verbose_name = _("deviation")
        verbose_name_plural = _("deviations")

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_kind_display()}"


class InternalNote(models.Model):
    """A vendor-side note on a request; never shown to customer users."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="internal_notes", verbose_name=_("request")
    )
    author = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by"))
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.created_at:%Y-%m-%d}"


def _form_pdf_path(form: ServiceForm, filename: str) -> str:
    return f"support/{form.request_id}/service-form-signed.pdf"


def _form_paper_path(form: ServiceForm, filename: str) -> str:
    return f"support/{form.request_id}/paper/{filename}"


class ServiceForm(ConcurrentTransitionMixin, models.Model):
    """The support service form the customer signs at completion (§6), online or on paper.

    Signing online records the signer, typed name, time, IP address, user agent and the SHA-256
    of the exact content signed; a signed PDF (PAdES, vendor certificate) is rendered after commit.
    """

    request = models.OneToOneField(
        SupportRequest, on_delete=models.CASCADE, related_name="service_form", verbose_name=_("request")
    )
    state = FSMField(_("state"), choices=ServiceFormState.choices, default=ServiceFormState.DRAFT, protected=True)
    work_summary = models.TextField(_("work done"))
    hours_on_site = models.DecimalField(
        _("hours worked"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0"))],
        default=Decimal("0"),
    )
    # The frozen content the customer sees and signs, and its SHA-256 (set when sent).
    content = models.JSONField(_("content"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    prepared_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("prepared by"))
    sent_at = models.DateTimeField(_("sent for signature"), null=True, blank=True)
    signer = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("signed by")
    )
    typed_name = models.CharField(_("typed name"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    pdf_status = models.CharField(_("signed PDF"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.NONE)
    pdf = models.FileField(_("signed PDF file"), upload_to=_form_pdf_path, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 of the signed PDF"), max_length=64, blank=True)
    paper_scan = models.FileField(_("signed paper form (scan)"), upload_to=_form_paper_path, blank=True)
    paper_name = models.CharField(_("file name"), max_length=200, blank=True)
    paper_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    paper_uploaded_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("uploaded by")
    )
    paper_uploaded_at = models.DateTimeField(_("uploaded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("support service form")
        verbose_name_plural = _("support service forms")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ServiceFormState.values), name="support_form_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_state_display()}"

    @property
    def is_signed(self) -> bool:
        return self.state in SIGNED_FORM_STATES

    @transition(
        field=state,
        source=[ServiceFormState.DRAFT, ServiceFormState.AWAITING_SIGNATURE],
        target=ServiceFormState.AWAITING_SIGNATURE,
    )
    def send(self, *, content: dict, sha256: str, at) -> None:
        self.content = content
        self.sha256 = sha256
        self.sent_at = at

    @transition(field=state, source=ServiceFormState.AWAITING_SIGNATURE, target=ServiceFormState.SIGNED)
    def sign(self, *, signer, typed_name: str, at, ip_address: str | None, user_agent: str) -> None:
        self.signer = signer
        self.typed_name = typed_name
        self.signed_at = at
        self.ip_address = ip_address
        self.user_agent = user_agent
        self.pdf_status = PdfStatus.PENDING

    @transition(
        field=state,
        source=[ServiceFormState.DRAFT, ServiceFormState.AWAITING_SIGNATURE],
        target=ServiceFormState.SIGNED_PAPER,
    )
    def record_paper(self, *, by, at) -> None:
        self.paper_uploaded_by = by
        self.paper_uploaded_at = at
        self.signed_at = at


class RequestEvent(models.Model):
    """The audit trail of a request: who, when, from where, what."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)
    actor = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_kind_display()}"


class EffortAccount(models.Model):
    """Effort of one engineer on one request as the technical director sets it (§6)."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="effort_accounts", verbose_name=_("request")
    )
    engineer = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("engineer"))
    estimated_hours = models.DecimalField(
        _("estimated hours"), max_digits=7, decimal_places=1, validators=[MinValueValidator(Decimal("0"))]
    )
    accounted_hours = models.DecimalField(
        _("accounted hours"),
        max_digits=7,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Empty until the effort is accounted from the signed weekly reports."),
    )
    set_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("set by"))
    set_at = models.DateTimeField(_("set"), default=timezone.now)

    class Meta:
        ordering = ["request", "engineer__first_name", "engineer__username"]
        verbose_name = _("effort account")
        verbose_name_plural = _("effort accounts")
        constraints = [
            models.UniqueConstraint(fields=["request", "engineer"], name="support_effort_unique"),
            models.CheckConstraint(condition=Q(estimated_hours__gte=0), name="support_effort_estimate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.engineer}"


class WeeklyReport(ConcurrentTransitionMixin, models.Model):
    """An engineer's weekly technical report (§6): work per request and hours, signed by the
    customer or by sales; effort is accounted from signed reports only."""

    engineer = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="weekly_reports", verbose_name=_("engineer")
    )
    week_start = models.DateField(_("week starting (Monday)"))
    summary = models.TextField(_("summary"), blank=True)
    state = FSMField(_("state"), choices=ReportState.choices, default=ReportState.DRAFT, protected=True)
    signer = models.ForeignKey(
        _USER,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="weekly_reports_to_sign",
        verbose_name=_("to be signed by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    sha256 = models.CharField(_("SHA-256 of the content"), max_length=64, blank=True)
    typed_name = models.CharField(_("typed name"), max_length=100, blank=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-week_start", "engineer__first_name", "id"]
        verbose_name = _("weekly technical report")
        verbose_name_plural = _("weekly technical reports")
        constraints = [
            models.UniqueConstraint(
                fields=["engineer", "week_start"],
                name="support_weekly_report_unique",
                violation_error_message=_("There is already a report for this week."),
            ),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="support_report_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.engineer.get_full_name() or self.engineer.get_username()} · {self.week_start.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("support:report", args=[self.pk])

    @transition(field=state, source=ReportState.DRAFT, target=ReportState.SUBMITTED)
    def submit(self, *, signer, sha256: str, at) -> None:
        self.signer = signer
        self.sha256 = sha256
        self.submitted_at = at

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.DRAFT)
    def reopen(self) -> None:
        self.signer = None
        self.sha256 = ""
        self.submitted_at = None

    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.SIGNED)
    def sign(self, *, typed_name: str, at, ip_address: str | None, user_agent: str) -> None:
        self.typed_name = typed_name
        self.signed_at = at
        self.ip_address = ip_address
        self.user_agent = user_agent


class WeeklyReportEntry(models.Model):
    report = models.ForeignKey(WeeklyReport, on_delete=models.CASCADE, related_name="entries", verbose_name=_("report"))
    request = models.ForeignKey(
        SupportRequest, on_delete=models.PROTECT, related_name="report_entries", verbose_name=_("request")
    )
    # Effort counts in the month of the day the work was done (a week may span two months).
    work_date = models.DateField(_("date"))
    work_done = models.TextField(_("work done"))
    hours = models.DecimalField(
        _("hours"), max_digits=5, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))]
    )

    class Meta:
        ordering = ["report", "work_date", "id"]
        verbose_name = _("report line")
        verbose_name_plural = _("report lines")
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="support_entry_hours_positive")]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.hours} h"


class Escalation(ConcurrentTransitionMixin, models.Model):
    """§6 "Disputes escalate": engineer → technical director; sales → sales director (internal)."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="escalations", verbose_name=_("request")
    )
    path = models.CharField(_("escalated"), max_length=16, choices=EscalationPath.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    raised_by = models.ForeignKey(_USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("raised by"))
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    state = FSMField(_("state"), choices=EscalationState.choices, default=EscalationState.OPEN, protected=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("resolved by")
    )
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.subject}"

    @transition(field=state, source=EscalationState.OPEN, target=EscalationState.RESOLVED)
    def resolve(self, *, by, resolution: str, at) -> None:
        self.resolved_by = by
        self.resolution = resolution
        self.resolved_at = at
