from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from delivery.audit import AuditEvent
from delivery.files import AttachedFile
from projects.enums import Phase, Side
from sealing.enums import PdfStatus
from sealing.models import SealedPdf, SignatureRecord

from .enums import DeliverableCode, EventKind, OfflineEvidenceKind, SignerRole, VersionState


def _default_signers() -> list[str]:
    return [SignerRole.CUSTOMER_LEAD]


class DeliverableType(models.Model):
    """The admin-editable catalogue of deliverables (SPEC §2), seeded with every type."""

    code = models.CharField(_("code"), max_length=40, unique=True, choices=DeliverableCode.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)
    phase = models.CharField(_("process group"), max_length=20, choices=Phase.choices)
    internal = models.BooleanField(
        _("internal"), help_text=_("Internal deliverables are never shown to customer users.")
    )
    gate_required = models.BooleanField(
        _("needed by a phase gate"),
        default=False,
        help_text=_("When ticked, the project cannot pass the gate named below until this deliverable is accepted."),
    )
    gate_phase = models.CharField(
        _("gate"),
        max_length=20,
        choices=Phase.choices,
        blank=True,
        help_text=_("The process group whose gate needs it; empty means the type's own process group."),
    )
    golive_only = models.BooleanField(_("only for projects with go-live"), default=False)
    # §2: drafted by the vendor, confirmed by the customer's lead; final acceptance by both leads in order.
    signer_roles = models.JSONField(
        _("signers, in signing order"),
        default=_default_signers,
        blank=True,
        help_text=_(
            'A list of roles, first signer first, e.g. ["customer_lead", "vendor_lead"]. Roles: customer_lead, '
            "customer_tech_lead, vendor_lead, vendor_pm. An empty list: delivered, not signed."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("deliverable type")
        verbose_name_plural = _("deliverable types")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        roles = self.signer_roles
        if not isinstance(roles, list) or any(role not in SignerRole.values for role in roles):
            raise ValidationError(
                {
                    "signer_roles": _("List the signers' roles in order, each one of: %(roles)s.")
                    % {"roles": ", ".join(SignerRole.values)}
                }
            )
        if len(set(roles)) != len(roles):
            raise ValidationError({"signer_roles": _("A role can sign a deliverable only once.")})

    @property
    def gate(self) -> str:
        """The process group whose gate needs this type (when gate_required)."""
        return self.gate_phase or self.phase

    @property
    def name(self) -> str:
        return self.name_zh if translation.get_language() == "zh-hans" else self.name_en


class Deliverable(models.Model):
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("project")
    )
    type = models.ForeignKey(DeliverableType, on_delete=models.PROTECT, related_name="+", verbose_name=_("type"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["type__position", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "type"], name="deliverable_one_per_type")]
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.type}"


def _evidence_path(version: DeliverableVersion, filename: str) -> str:
    return f"evidence/{version.deliverable.project_id}/{version.pk}/{filename}"


def _pdf_path(record, filename: str) -> str:
    """Named by migration 0001; the path now comes from the record (sealing.models.SealedPdf)."""
    return record.sealed_pdf_path()


class DeliverableVersion(ConcurrentTransitionMixin, SealedPdf):
    """One version of a deliverable. Frozen from submission on; immutable once signed (SPEC §3).

    Transitions change state and in-memory fields only; documents.services runs them, records the
    event, and schedules the PDF and the e-mails after commit.
    """

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="versions", verbose_name=_("deliverable")
    )
    number = models.PositiveIntegerField(_("version"))
    state = FSMField(_("state"), default=VersionState.DRAFT, choices=VersionState.choices, protected=True)
    content = models.JSONField(_("content"), default=dict, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("drafted by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    return_comment = models.TextField(_("reason for returning"), blank=True)
    offline_kind = models.CharField(
        _("offline evidence"), max_length=10, choices=OfflineEvidenceKind.choices, blank=True
    )
    offline_evidence = models.FileField(_("evidence file"), upload_to=_evidence_path, blank=True)
    offline_note = models.TextField(_("note on the offline confirmation"), blank=True)
    # Implementation delivery report: the customer lead confirms the initial passwords were changed.
    passwords_changed_at = models.DateTimeField(_("initial passwords changed"), null=True, blank=True)

    sealed_pdf_renderer = "documents.rendering.version_pdf_bytes"
    sealed_pdf_related = (
        "deliverable__project__customer",
        "deliverable__project__vendor_pm__profile__organization",
        "deliverable__type",
        "author",
    )

    class Meta:
        ordering = ["deliverable", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["deliverable", "number"], name="version_number_unique"),
            # At most one version is being worked on or waiting for a signature at a time.
            models.UniqueConstraint(
                fields=["deliverable"],
                condition=Q(state__in=[VersionState.DRAFT, VersionState.SUBMITTED]),
                name="version_one_open",
            ),
        ]
        indexes = [models.Index(fields=["state", "deliverable"], name="version_state_idx")]
        verbose_name = _("deliverable version")
        verbose_name_plural = _("deliverable versions")

    def __str__(self) -> str:
        return f"{self.deliverable} v{self.number}"

    def sealed_pdf_path(self) -> str:
        deliverable = self.deliverable
        return f"signed/{deliverable.project_id}/{deliverable.type.code}-v{self.number}.pdf"

    @property
    def is_frozen(self) -> bool:
        return self.state != VersionState.DRAFT

    @transition(field=state, source=VersionState.DRAFT, target=VersionState.SUBMITTED)
    def submit(self, *, sha256: str, at) -> None:
        self.sha256 = sha256
        self.submitted_at = at

    @transition(field=state, source=VersionState.SUBMITTED, target=VersionState.CONFIRMED)
    def confirm(self, *, at) -> None:
        self.decided_at = at
        self.pdf_status = PdfStatus.PENDING

    @transition(field=state, source=VersionState.SUBMITTED, target=VersionState.RETURNED)
    def return_to_vendor(self, *, comment: str, at) -> None:
        self.return_comment = comment
        self.decided_at = at

    @transition(field=state, source=VersionState.CONFIRMED, target=VersionState.SUPERSEDED)
    def supersede(self) -> None:
        pass

    @transition(field=state, source=[VersionState.DRAFT, VersionState.SUBMITTED], target=VersionState.DEEMED_ACCEPTED)
    def deem_accepted(self, *, at) -> None:
        self.decided_at = at
        self.pdf_status = PdfStatus.PENDING


class Signature(SignatureRecord):
    """A signature on a version (SPEC §3): who, when, from where, and the hash of what they signed."""

    version = models.ForeignKey(DeliverableVersion, on_delete=models.PROTECT, related_name="signatures")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices)
    # The declared signer role this signature fills (DeliverableType.signer_roles).
    role = models.CharField(_("signer role"), max_length=30, choices=SignerRole.choices)
    version_sha256 = models.CharField(_("SHA-256 of the version signed"), max_length=64)

    class Meta(SignatureRecord.Meta):
        constraints = [models.UniqueConstraint(fields=["version", "role"], name="signature_one_per_role")]
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")

    def __str__(self) -> str:
        return f"{self.typed_name} · {self.version}"


class VersionEvent(AuditEvent):
    """The audit trail of a version: every transition and sensitive read, with where it came from."""

    version = models.ForeignKey(DeliverableVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=30, choices=EventKind.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("version event")
        verbose_name_plural = _("version events")

    def __str__(self) -> str:
        return f"{self.version} · {self.get_kind_display()}"


def _attachment_path(attachment: Attachment, filename: str) -> str:
    return f"attachments/{attachment.version.deliverable.project_id}/{attachment.version_id}/{filename}"


class Attachment(AttachedFile):
    version = models.ForeignKey(DeliverableVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=_attachment_path)

    class Meta(AttachedFile.Meta):
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")


class StoredSecret(models.Model):
    """A password from an implementation delivery report, encrypted (delivery.crypto).

    The version's content holds only the key of the secret, so the hash, the PDF, logs and
    notifications never contain the password itself.
    """

    version = models.ForeignKey(DeliverableVersion, on_delete=models.CASCADE, related_name="secrets")
    key = models.CharField(max_length=40)
    ciphertext = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["version", "key"], name="secret_key_unique")]
        verbose_name = _("stored password")
        verbose_name_plural = _("stored passwords")

    def __str__(self) -> str:
        return f"{self.version} · {self.key}"
