from django.db import models
from django.utils.translation import gettext_lazy as _


class VersionState(models.TextChoices):
    """SPEC §2 "Deliverable lifecycle": draft → submitted → confirmed | returned; superseded later."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Waiting for signature")
    CONFIRMED = "confirmed", _("Confirmed")
    RETURNED = "returned", _("Returned")
    SUPERSEDED = "superseded", _("Superseded")
    # Go-live confirmation only (§3.1.4 and SPEC §5): no objection and no go-live arranged in time.
    DEEMED_ACCEPTED = "deemed_accepted", _("Deemed accepted")


# A version in one of these states has been accepted by the customer.
ACCEPTED_STATES = {VersionState.CONFIRMED, VersionState.DEEMED_ACCEPTED}


class EventKind(models.TextChoices):
    CREATED = "created", _("Draft created")
    EDITED = "edited", _("Draft edited")
    SUBMITTED = "submitted", _("Submitted for signature")
    SIGNED = "signed", _("Signed online")
    CONFIRMED_OFFLINE = "confirmed_offline", _("Confirmation recorded (offline)")
    RETURNED = "returned", _("Returned with comments")
    SUPERSEDED = "superseded", _("Superseded by a later version")
    DEEMED_ACCEPTED = "deemed_accepted", _("Deemed accepted")
    PDF_DOWNLOADED = "pdf_downloaded", _("Signed PDF downloaded")
    SECRET_REVEALED = "secret_revealed", _("Password shown")
    PASSWORDS_CHANGED = "passwords_changed", _("Initial passwords changed (confirmed by the customer)")


class OfflineEvidenceKind(models.TextChoices):
    PAPER = "paper", _("Signed paper copy")
    EMAIL = "email", _("Confirmation e-mail")
