from django.db import models
from django.utils.translation import gettext_lazy as _

# Members of this group see every vendor project (SPEC §7, projects issue "Access").
VENDOR_MANAGERS_GROUP = "vendor_managers"


class OrganizationKind(models.TextChoices):
    VENDOR = "vendor", _("Vendor")
    CUSTOMER = "customer", _("Customer")


class StepUpMethod(models.TextChoices):
    """How a person proves again that it is them before signing or revealing a secret (SPEC §3)."""

    PASSWORD = "password", _("Password re-entry")
    EMAIL_CODE = "email_code", _("One-time code by e-mail")


class StepUpPurpose(models.TextChoices):
    SIGN = "sign", _("signing")
    REVEAL_SECRET = "reveal_secret", _("revealing a stored password")
    PASSWORD_CHANGE = "password_change", _("changing your password")


class SecurityEventKind(models.TextChoices):
    STEPUP_LOCKED = "stepup_locked", _("Step-up locked after repeated failures")
    CODE_SENT = "code_sent", _("One-time code sent")
    SESSIONS_ENDED = "sessions_ended", _("Sessions ended")
