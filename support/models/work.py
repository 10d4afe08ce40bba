"""The records kept while the work is planned and done (SPEC §6 "Before work", "During work",
"Disputes escalate"): planning documents, deviations, internal notes and escalations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from ..enums import (
    DeviationKind,
    DeviationResult,
    EscalationPath,
    EscalationState,
    PlanningDocumentKind,
)
from .requests import SupportRequest

_USER = settings.AUTH_USER_MODEL


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
