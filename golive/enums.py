from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NoticeStatus(models.TextChoices):
    """A go-live notice (§3.1.4) from issue until go-live is confirmed, deemed, objected or replaced."""

    RUNNING = "running", _("Clocks running")
    OBJECTED = "objected", _("Objected in writing")
    REPLACED = "replaced", _("Replaced by a new notice")
    CONFIRMED = "confirmed", _("Go-live confirmed")
    DEEMED = "deemed", _("Deemed accepted")


class ProblemStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("problem status", "Open")
    IN_PROGRESS = "in_progress", pgettext_lazy("problem status", "In progress")
    RESOLVED = "resolved", pgettext_lazy("problem status", "Resolved")
    CLOSED = "closed", pgettext_lazy("problem status", "Closed")


class Severity(models.TextChoices):
    CRITICAL = "critical", _("Critical")
    MAJOR = "major", _("Major")
    MINOR = "minor", _("Minor")


class SupportMode(models.TextChoices):
    ONSITE = "onsite", _("On-site")
    PHONE = "phone", _("Phone")
    REMOTE = "remote", _("Remote")
