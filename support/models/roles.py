"""Who does what in the support procedure (SPEC §6): the vendor's support roles."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganizationKind
from delivery.people import display_name

from ..enums import (
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
        return f"{display_name(self.user)} · {self.get_role_display()}"

    def clean(self) -> None:
        profile = getattr(self.user, "profile", None) if self.user_id else None
        organization = getattr(profile, "organization", None)
        if self.user_id and (organization is None or organization.kind != OrganizationKind.VENDOR):
            raise ValidationError({"user": _("Support roles are for people of the vendor organisation.")})
