from django.db import models
from django.utils.translation import gettext_lazy as _


class TemplateState(models.TextChoices):
    """draft → active → retired; one active template per scope and deliverable type."""

    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")


class TemplateEventKind(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    ACTIVATED = "activated", _("Activated")
    RETIRED = "retired", _("Retired")
    # A deliverable version's sealed PDF was rendered from this template.
    USED = "used", _("Used for a sealed PDF")
    # The template failed on real content; the standard template was used instead.
    FAILED = "failed", _("Failed on real content (standard template used)")
