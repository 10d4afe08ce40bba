from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from delivery.audit import AuditEvent
from delivery.files import AttachedFile
from projects.enums import Side
from sealing.enums import PdfStatus
from sealing.models import SealedPdf

from .enums import (
    NEGOTIATED_KINDS,
    OPEN_STATES,
    REPLY_KINDS,
    ChangeDocument,
    ChangeEventKind,
    ChangeKind,
    ChangeState,
    ClaimState,
)
from .permissions import (
    user_can_answer_claim,
    user_can_implement,
    user_confirms_agreement,
    user_is_initiator_lead,
    user_is_recipient_lead,
    user_is_vendor_pm,
)


def _needs_reply(change: ChangeRequest) -> bool:
    return change.kind in REPLY_KINDS


def _is_negotiated(change: ChangeRequest) -> bool:
    return change.kind in NEGOTIATED_KINDS


def _has_proposal(change: ChangeRequest) -> bool:
    return bool(change.agreement_proposal)


class ChangeRequest(ConcurrentTransitionMixin, models.Model):
    """A change letter 项目变更说明函 (§4) and its reply.

    Lifecycle (transitions change state and in-memory fields; changes.services runs them, logs
    the event, notifies the other side and renders the PDFs after commit):
      4.2, 4.3: submitted → under review → accepted | rejected   (reply within 5 working days)
      4.1, 4.4: submitted → in negotiation → agreed
      any kind, before a reply: → withdrawn (by the initiator)
      accepted | agreed → implementing (new deliverable versions drafted) → implemented (confirmed)
    """

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="change_requests", verbose_name=_("project")
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=4, choices=ChangeKind.choices)
    state = FSMField(_("state"), default=ChangeState.SUBMITTED, choices=ChangeState.choices, protected=True)
    initiating_side = models.CharField(_("initiating side"), max_length=10, choices=Side.choices)
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("initiated by")
    )
    title = models.CharField(_("subject"), max_length=200)
    reason = models.TextField(_("reason for the change"))
    requirements_change = models.TextField(_("requested change to the requirements"), blank=True)
    plan_change = models.TextField(_("requested change to the project plan"), blank=True)
    # When the other side received the letter in the system: it starts the reply clock (§4.2, §4.3).
    received_at = models.DateTimeField(_("received"))
    letter_sha256 = models.CharField(_("SHA-256 of the letter"), max_length=64)

    # The reply (4.2, 4.3) or the record of the agreement (4.1, 4.4).
    reply_accepted = models.BooleanField(_("accepted"), null=True, blank=True)
    reply_reasons = models.TextField(_("reasons"), blank=True)
    reply_findings = models.TextField(_("findings of the internal investigation"), blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("replied by"),
    )
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)
    reply_late = models.BooleanField(_("replied late"), default=False)
    # 4.1, 4.4: the terms one lead proposed, waiting for the other lead's confirmation (or counter).
    agreement_proposal = models.TextField(_("proposed agreement"), blank=True)
    agreement_proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agreement proposed by"),
    )
    agreement_proposed_at = models.DateTimeField(_("agreement proposed"), null=True, blank=True)
    reply_sha256 = models.CharField(_("SHA-256 of the reply"), max_length=64, blank=True)

    # Set once by the reply deadline's effect: a flag, not a state, so the FSM path is unchanged.
    overdue_at = models.DateTimeField(_("reply overdue since"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="change_number_unique"),
            models.CheckConstraint(condition=Q(kind__in=ChangeKind.values), name="change_kind_valid"),
            models.CheckConstraint(
                condition=~Q(requirements_change="") | ~Q(plan_change=""), name="change_requests_something"
            ),
        ]
        indexes = [
            models.Index(fields=["project", "state"], name="change_project_state_idx"),
            models.Index(fields=["overdue_at"], condition=Q(overdue_at__isnull=False), name="change_overdue_idx"),
            # The lists' order: the newest 25 letters are read off the index instead of sorting all.
            models.Index(fields=["-received_at", "-id"], name="change_received_idx"),
        ]
        verbose_name = _("change request")
        verbose_name_plural = _("change requests")

    def __str__(self) -> str:
        return f"{self.project.code} #{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("changes:change", args=[self.project.code, self.number])

    @property
    def needs_reply(self) -> bool:
        return _needs_reply(self)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        """Marked overdue by the deadline and not answered yet (shown until answered)."""
        return self.overdue_at is not None and self.replied_at is None

    # --- 4.2, 4.3: review and reply -------------------------------------------------------------

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.UNDER_REVIEW,
        conditions=[_needs_reply],
        permission=user_is_vendor_pm,
    )
    def start_review(self) -> None:
        pass

    @transition(
        field=state,
        source=ChangeState.UNDER_REVIEW,
        target=ChangeState.ACCEPTED,
        conditions=[_needs_reply],
        permission=user_is_vendor_pm,
    )
    def accept(self, *, by, reasons: str, findings: str, at, late: bool) -> None:
        self._record_reply(by=by, accepted=True, reasons=reasons, findings=findings, at=at, late=late)

    @transition(
        field=state,
        source=ChangeState.UNDER_REVIEW,
        target=ChangeState.REJECTED,
        conditions=[_needs_reply],
        permission=user_is_vendor_pm,
    )
    def reject(self, *, by, reasons: str, findings: str, at, late: bool) -> None:
        self._record_reply(by=by, accepted=False, reasons=reasons, findings=findings, at=at, late=late)

    # --- 4.1, 4.4: negotiation ----------------------------------------------------------------

    @transition(
        field=state,
        source=ChangeState.SUBMITTED,
        target=ChangeState.IN_NEGOTIATION,
        conditions=[_is_negotiated],
        permission=user_is_recipient_lead,
    )
    def start_negotiation(self) -> None:
        pass

    @transition(
        field=state,
        source=ChangeState.IN_NEGOTIATION,
        target=ChangeState.AGREED,
        conditions=[_is_negotiated, _has_proposal],
        permission=user_confirms_agreement,
    )
    def agree(self, *, by, at) -> None:
        """The other lead confirms the proposed terms: they become the agreement."""
        self._record_reply(by=by, accepted=True, reasons=self.agreement_proposal, findings="", at=at, late=False)

    # --- any kind -----------------------------------------------------------------------------

    @transition(field=state, source=list(OPEN_STATES), target=ChangeState.WITHDRAWN, permission=user_is_initiator_lead)
    def withdraw(self, *, at) -> None:
        self.withdrawn_at = at

    @transition(
        field=state,
        source=[ChangeState.ACCEPTED, ChangeState.AGREED],
        target=ChangeState.IMPLEMENTING,
        permission=user_can_implement,
    )
    def start_implementing(self) -> None:
        pass

    @transition(field=state, source=ChangeState.IMPLEMENTING, target=ChangeState.IMPLEMENTED)
    def complete_implementation(self, *, at) -> None:
        self.implemented_at = at

    def _record_reply(self, *, by, accepted: bool, reasons: str, findings: str, at, late: bool) -> None:
        self.reply_accepted = accepted
        self.reply_reasons = reasons
        self.reply_findings = findings
        self.replied_by = by
        self.replied_at = at
        self.reply_late = late


def _attachment_path(attachment: ChangeAttachment, filename: str) -> str:
    return f"changes/{attachment.change.project_id}/{attachment.change_id}/{filename}"


class ChangeAttachment(AttachedFile):
    """Files sent with the letter; part of what the letter's SHA-256 covers."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)

    class Meta(AttachedFile.Meta):
        verbose_name = _("change letter attachment")
        verbose_name_plural = _("change letter attachments")


class ChangeVersion(models.Model):
    """A deliverable the change updates: the version drafted for it and, later, the one confirmed.

    The confirmed version may be a later number than the drafted one when the customer lead
    returned the draft and the vendor continued in a new version (documents' return flow).
    """

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="versions")
    deliverable = models.ForeignKey(
        "documents.Deliverable", on_delete=models.CASCADE, related_name="+", verbose_name=_("deliverable")
    )
    drafted_version = models.ForeignKey(
        "documents.DeliverableVersion", on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted version")
    )
    accepted_version = models.ForeignKey(
        "documents.DeliverableVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("confirmed version"),
    )
    drafted_at = models.DateTimeField(_("drafted"))
    accepted_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["deliverable__type__position", "id"]
        constraints = [models.UniqueConstraint(fields=["change", "deliverable"], name="change_version_one_per_type")]
        verbose_name = _("deliverable version of a change")
        verbose_name_plural = _("deliverable versions of changes")

    def __str__(self) -> str:
        return f"{self.change_id} · {self.drafted_version_id}"


def _pdf_path(record, filename: str) -> str:
    """Named by migration 0001; the path now comes from the record (sealing.models.SealedPdf)."""
    return record.sealed_pdf_path()


class ChangePdf(SealedPdf):
    """The signed PDF of the letter or of the reply, rendered once by a task after commit."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="pdfs")
    document = models.CharField(_("document"), max_length=10, choices=ChangeDocument.choices)
    # A row exists only once the document is to be sealed.
    pdf_status = models.CharField(_("signed PDF"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["change", "document"]
        constraints = [models.UniqueConstraint(fields=["change", "document"], name="change_pdf_one_per_document")]
        verbose_name = _("change PDF")
        verbose_name_plural = _("change PDFs")

    sealed_pdf_renderer = "changes.rendering.change_pdf_render"
    sealed_pdf_related = (
        "change__project__customer",
        "change__project__vendor_pm__profile__organization",
        "change__initiated_by",
        "change__replied_by",
    )

    def __str__(self) -> str:
        return f"{self.change_id} · {self.document}"

    def sealed_pdf_path(self) -> str:
        return f"signed/{self.change.project_id}/change-{self.change.number}-{self.document}.pdf"


class ChangeEvent(AuditEvent):
    """The timeline of a change: every step, who took it, when, from where, and why."""

    change = models.ForeignKey(ChangeRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=ChangeEventKind.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("change event")
        verbose_name_plural = _("change events")

    def __str__(self) -> str:
        return f"{self.change_id} · {self.get_kind_display()}"


class CompensationClaim(ConcurrentTransitionMixin, models.Model):
    """A service-period compensation claim (§4.1, §4.2) filed by the customer lead after go-live.

    Lifecycle: filed → accepted (with the days granted) | rejected (with reasons), by the vendor PM.
    """

    change = models.OneToOneField(
        ChangeRequest, on_delete=models.CASCADE, related_name="claim", verbose_name=_("change request")
    )
    state = FSMField(_("state"), default=ClaimState.FILED, choices=ClaimState.choices, protected=True)
    days_requested = models.PositiveSmallIntegerField(_("days of service requested"))
    reason = models.TextField(_("reason"))
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("filed by")
    )
    filed_at = models.DateTimeField(_("filed"))
    days_granted = models.PositiveSmallIntegerField(_("days of service granted"), null=True, blank=True)
    answer_reasons = models.TextField(_("reasons"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(days_requested__gt=0), name="claim_days_requested_positive"),
        ]
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")

    def __str__(self) -> str:
        return f"{self.change} · {self.days_requested}"

    @transition(field=state, source=ClaimState.FILED, target=ClaimState.ACCEPTED, permission=user_can_answer_claim)
    def accept(self, *, by, days: int, reasons: str, at) -> None:
        self.days_granted = days
        self._record_answer(by=by, reasons=reasons, at=at)

    @transition(field=state, source=ClaimState.FILED, target=ClaimState.REJECTED, permission=user_can_answer_claim)
    def reject(self, *, by, reasons: str, at) -> None:
        self._record_answer(by=by, reasons=reasons, at=at)

    def _record_answer(self, *, by, reasons: str, at) -> None:
        self.answer_reasons = reasons
        self.answered_by = by
        self.answered_at = at
