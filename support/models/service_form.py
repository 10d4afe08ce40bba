"""The support service form the customer signs at completion (SPEC §6 "Completion")."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from sealing.enums import PdfStatus
from sealing.models import SealedPdf

from ..enums import (
    SIGNED_FORM_STATES,
    ServiceFormState,
)
from .requests import SupportRequest

_USER = settings.AUTH_USER_MODEL


def _form_pdf_path(form: ServiceForm, filename: str) -> str:
    """Named by migration 0001; the path now comes from the record (sealing.models.SealedPdf)."""
    return form.sealed_pdf_path()


def _form_paper_path(form: ServiceForm, filename: str) -> str:
    return f"support/{form.request_id}/paper/{filename}"


class ServiceForm(ConcurrentTransitionMixin, SealedPdf):
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
    paper_scan = models.FileField(_("signed paper form (scan)"), upload_to=_form_paper_path, blank=True)
    paper_name = models.CharField(_("file name"), max_length=200, blank=True)
    paper_sha256 = models.CharField(_("SHA-256 of the scan"), max_length=64, blank=True)
    paper_uploaded_by = models.ForeignKey(
        _USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("uploaded by")
    )
    paper_uploaded_at = models.DateTimeField(_("uploaded"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    sealed_pdf_renderer = "support.rendering.service_form_pdf_bytes"
    sealed_pdf_related = ("request__customer",)

    class Meta:
        verbose_name = _("support service form")
        verbose_name_plural = _("support service forms")
        constraints = [
            models.CheckConstraint(condition=Q(state__in=ServiceFormState.values), name="support_form_state_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.request.reference} · {self.get_state_display()}"

    def sealed_pdf_path(self) -> str:
        return f"support/{self.request_id}/service-form-signed.pdf"

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
