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


class DeliverableCode(models.TextChoices):
    """The deliverable types of SPEC §2: the codes of the admin-editable catalogue (DeliverableType)."""

    CONTACT_DIRECTORY = "contact_directory", _("Project contact directory")
    REQUIREMENTS_CONFIRMATION = "requirements_confirmation", _("Requirements confirmation")
    PROJECT_PLAN = "project_plan", _("Project plan")
    IMPLEMENTATION_REPORT = "implementation_report", _("Implementation delivery report")
    GOLIVE_NOTICE = "golive_notice", _("Go-live notice")
    GOLIVE_CONFIRMATION = "golive_confirmation", _("Go-live confirmation")
    OPERATION_PROBLEM_LOG = "operation_problem_log", _("Operation problem log")
    PROJECT_SUMMARY_REPORT = "project_summary_report", _("Project summary report")
    FINAL_ACCEPTANCE_REPORT = "final_acceptance_report", _("Final acceptance report")
    HANDOVER_RECORD = "handover_record", _("Handover record")


class SignerRole(models.TextChoices):
    """Who signs a deliverable, as a role on the project; a type lists its signers in signing order."""

    CUSTOMER_LEAD = "customer_lead", _("Customer project lead")
    CUSTOMER_TECH_LEAD = "customer_tech_lead", _("Customer technical lead")
    VENDOR_LEAD = "vendor_lead", _("Vendor project lead")
    VENDOR_PM = "vendor_pm", _("Vendor project manager")


class SignerState(models.TextChoices):
    """Where one declared signer of a submitted version stands."""

    SIGNED = "signed", _("Signed")
    WAITING = "waiting", _("Waiting for their signature")
    NOT_YET = "not_yet", _("Not yet their turn")
    NOT_ASKED = "not_asked", _("Not asked")


# A signer role's side (the signature record keeps the side for the sealed PDF's sign-off block).
SIGNER_SIDES = {
    SignerRole.CUSTOMER_LEAD: "customer",
    SignerRole.CUSTOMER_TECH_LEAD: "customer",
    SignerRole.VENDOR_LEAD: "vendor",
    SignerRole.VENDOR_PM: "vendor",
}
