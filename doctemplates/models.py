from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from accounts.enums import OrganizationKind
from delivery.audit import AuditEvent

from .enums import TemplateEventKind, TemplateState


class CustomTemplate(ConcurrentTransitionMixin, models.Model):
    """One uploaded version of a customised template for a deliverable type, for a customer
    organisation or for one project (exactly one of the two).

    Never edited once saved: a new upload is a new version in the same scope, and older ones stay
    as they were, read-only. Transitions change state and in-memory fields only;
    doctemplates.services runs them and records the event.
    """

    deliverable_type = models.ForeignKey(
        "documents.DeliverableType", on_delete=models.PROTECT, related_name="+", verbose_name=_("deliverable type")
    )
    organization = models.ForeignKey(
        "accounts.Organization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        limit_choices_to={"kind": OrganizationKind.CUSTOMER},
        verbose_name=_("customer organisation"),
    )
    project = models.ForeignKey(
        "projects.Project", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("project")
    )
    name = models.CharField(_("name"), max_length=100)
    number = models.PositiveIntegerField(_("version"))
    html = models.TextField(_("HTML body"))
    css = models.TextField(_("CSS"), blank=True)
    state = FSMField(_("state"), default=TemplateState.DRAFT, choices=TemplateState.choices, protected=True)
    # Issue item 6: a customised template may add signers after the type's own, in this order.
    extra_signer_roles = models.JSONField(
        _("extra signers, in signing order"),
        default=list,
        blank=True,
        help_text=_(
            'Roles that sign after the deliverable type\'s own signers, e.g. ["customer_tech_lead"]. Roles: '
            "customer_lead, customer_tech_lead, vendor_lead, vendor_pm. Empty: only the type's signers."
        ),
    )
    agreed_by = models.CharField(
        _("agreed by (customer side)"), max_length=100, help_text=_("Who agreed to this template for the customer.")
    )
    agreed_on = models.DateField(_("agreed on"))
    agreement_note = models.TextField(_("agreement note"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    activated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("activated by"),
    )
    activated_at = models.DateTimeField(_("activated at"), null=True, blank=True)
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)

    class Meta:
        ordering = ["deliverable_type", "organization", "project", "-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organization__isnull=True, project__isnull=False)
                | Q(organization__isnull=False, project__isnull=True),
                name="customtemplate_one_scope",
                violation_error_message=_("Choose a customer organisation or a project: exactly one of the two."),
            ),
            models.UniqueConstraint(
                fields=["deliverable_type", "organization", "number"],
                condition=Q(project__isnull=True),
                name="customtemplate_org_number_unique",
            ),
            models.UniqueConstraint(
                fields=["deliverable_type", "project", "number"],
                condition=Q(organization__isnull=True),
                name="customtemplate_project_number_unique",
            ),
            models.UniqueConstraint(
                fields=["deliverable_type", "organization"],
                condition=Q(state=TemplateState.ACTIVE, project__isnull=True),
                name="customtemplate_org_one_active",
            ),
            models.UniqueConstraint(
                fields=["deliverable_type", "project"],
                condition=Q(state=TemplateState.ACTIVE, organization__isnull=True),
                name="customtemplate_project_one_active",
            ),
        ]
        verbose_name = _("customised template")
        verbose_name_plural = _("customised templates")

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"

    @property
    def scope(self):
        return self.project or self.organization

    @property
    def label(self) -> str:
        """How the sealed PDF's metadata names the template."""
        return f"{self.name} v{self.number} (#{self.pk})"

    @transition(field=state, source=TemplateState.DRAFT, target=TemplateState.ACTIVE)
    def activate(self, *, by, at) -> None:
        self.activated_by = by
        self.activated_at = at

    @transition(field=state, source=[TemplateState.DRAFT, TemplateState.ACTIVE], target=TemplateState.RETIRED)
    def retire(self, *, at) -> None:
        self.retired_at = at


class TemplateEvent(AuditEvent):
    """The trail of a template: uploaded, activated, retired, and every sealed PDF made from it."""

    template = models.ForeignKey(CustomTemplate, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=20, choices=TemplateEventKind.choices)
    version = models.ForeignKey(
        "documents.DeliverableVersion",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="template_events",
        verbose_name=_("deliverable version"),
    )

    class Meta(AuditEvent.Meta):
        verbose_name = _("template event")
        verbose_name_plural = _("template events")

    def __str__(self) -> str:
        return f"{self.template} · {self.get_kind_display()}"
