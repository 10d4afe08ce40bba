"""Weekly technical reports and the effort accounted from them (SPEC §6 "Effort")."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.enums import OrganizationKind
from accounts.models import Organization
from delivery.people import display_name
from sealing.enums import PdfStatus
from sealing.models import SealedPdf

from ..enums import ReportState
from .requests import SupportRequest

_USER = settings.AUTH_USER_MODEL


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


class WeeklyReport(ConcurrentTransitionMixin, SealedPdf):
    """An engineer's weekly technical report (§6): work per request and hours, signed by the
    customer or by sales; effort is accounted from signed reports only.

    A week has one general report (no customer) and, once split, one report per customer whose
    lines are all that customer's, so each customer signs its own lines."""

    engineer = models.ForeignKey(
        _USER, on_delete=models.PROTECT, related_name="weekly_reports", verbose_name=_("engineer")
    )
    week_start = models.DateField(_("week starting (Monday)"))
    customer = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrganizationKind.CUSTOMER},
        verbose_name=_("customer"),
        help_text=_("Set when the report is split per customer: every line is for this customer, who may sign it."),
    )
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

    sealed_pdf_renderer = "support.rendering.weekly_report_pdf_bytes"
    sealed_pdf_related = ("engineer", "signer")

    class Meta:
        ordering = ["-week_start", "engineer__first_name", "id"]
        verbose_name = _("weekly technical report")
        verbose_name_plural = _("weekly technical reports")
        constraints = [
            models.UniqueConstraint(
                fields=["engineer", "week_start"],
                condition=Q(customer__isnull=True),
                name="support_weekly_report_unique",
                violation_error_message=_("There is already a report for this week."),
            ),
            models.UniqueConstraint(
                fields=["engineer", "week_start", "customer"],
                condition=Q(customer__isnull=False),
                name="support_weekly_report_customer_unique",
                violation_error_message=_("There is already a report for this customer and week."),
            ),
            models.CheckConstraint(condition=Q(state__in=ReportState.values), name="support_report_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{display_name(self.engineer)} · {self.week_start.isoformat()}"

    def get_absolute_url(self) -> str:
        return reverse("support:report", args=[self.pk])

    def sealed_pdf_path(self) -> str:
        return f"support/reports/{self.engineer_id}/{self.week_start.isoformat()}-{self.pk}-signed.pdf"

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
        self.pdf_status = PdfStatus.PENDING


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
