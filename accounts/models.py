from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import models
from django.utils.translation import gettext_lazy as _

from delivery.audit import AuditEvent
from delivery.validators import validate_mobile

from .enums import OrganizationKind, SecurityEventKind, StepUpMethod, StepUpPurpose


class Organization(models.Model):
    """Either side of a delivery project: the vendor (交付方) or a customer (客户方)."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200, unique=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    stepup_method = models.CharField(
        _("step-up check"),
        max_length=20,
        choices=StepUpMethod.choices,
        default=StepUpMethod.PASSWORD,
        help_text=_("What this organisation's people enter to sign or to reveal a stored password."),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.short_name or self.name

    @property
    def is_vendor(self) -> bool:
        return self.kind == OrganizationKind.VENDOR


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="profiles",
        null=True,
        blank=True,
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=100, blank=True)
    mobile = models.CharField(_("mobile"), max_length=30, blank=True, validators=[validate_mobile])
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.user)


class Invitation(models.Model):
    """A one-time link for a person whose account someone else created, to set their own password.

    Only the SHA-256 of the token is stored; the token itself exists in the e-mail alone. The
    worker derives it when it sends the e-mail (accounts.services.invitation_token), so it never
    passes through the broker, and an e-mail sent again after a crash carries the same link.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("user")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    token_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return str(self.user)

    def is_expired(self, now: datetime.datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now


class OneTimeCode(models.Model):
    """A 6-digit code e-mailed for one step-up (SPEC §3): valid 10 minutes, used once.

    Only the code's SHA-256 is stored; the worker mints the code when it sends the e-mail, so the
    code never passes through the broker (as invitations do).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="one_time_codes", verbose_name=_("user")
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=StepUpPurpose.choices)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"


class SecurityEvent(AuditEvent):
    """A person's security history: step-up lockouts, codes sent, sessions ended by an admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="security_events",
        null=True,
        blank=True,
        verbose_name=_("user"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SecurityEventKind.choices)

    class Meta(AuditEvent.Meta):
        verbose_name = _("security event")
        verbose_name_plural = _("security events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.user}"


class UserSession(models.Model):
    """Which signed-in session belongs to whom, so an admin can see and end a person's sessions.

    Deleting the session (sign-out, expiry cleared by clearsessions, an admin ending it) deletes
    this row with it.
    """

    session = models.OneToOneField(Session, on_delete=models.CASCADE, primary_key=True, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("user")
    )
    created_at = models.DateTimeField(_("signed in"), auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), auto_now_add=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=500, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
