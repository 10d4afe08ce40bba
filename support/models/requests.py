"""A support request and its lifecycle (SPEC §6), with its audit trail.

Transitions change the state and in-memory fields only; support.services runs them, checks
permissions, opens and closes the clocks, writes the audit trail and notifies after commit.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.enums import OrganizationKind
from accounts.models import Organization
from deadlines.calendar import local_date
from delivery.audit import AuditEvent
from projects.models import Project

from .. import permissions
from ..enums import (
    OPEN_STATES,
    EventKind,
    ProposalTier,
    RequestState,
    SupportMode,
)

_USER = settings.AUTH_USER_MODEL


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


class RequestEvent(AuditEvent):
    """The audit trail of a request: who, when, from where, what (the shared AuditEvent shape)."""

    request = models.ForeignKey(
        SupportRequest, on_delete=models.CASCADE, related_name="events", verbose_name=_("request")
    )
    kind = models.CharField(_("event"), max_length=32, choices=EventKind.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("request event")
        verbose_name_plural = _("request events")

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_kind_display()}"
