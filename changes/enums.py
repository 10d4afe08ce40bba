"""Choices of the changes app (SPEC §4): the four kinds of change letter, states, events, claims.

Importable from anywhere (no model imports here).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.enums import DeliverableCode


class ChangeKind(models.TextChoices):
    """The manual's clause numbers are the values: users know the kinds by them (§4.1–§4.4)."""

    VENDOR_INITIATED = "4.1", _("4.1 Vendor-initiated")
    VENDOR_AT_FAULT = "4.2", _("4.2 Customer-initiated, vendor at fault")
    CUSTOMER_REASONS = "4.3", _("4.3 Customer-initiated, customer's reasons")
    FORCE_MAJEURE = "4.4", _("4.4 Force majeure")


# §4.2, §4.3: the vendor must reply within 5 working days of receipt.
REPLY_KINDS = frozenset({ChangeKind.VENDOR_AT_FAULT, ChangeKind.CUSTOMER_REASONS})
# §4.1, §4.4: no formal reply; both sides negotiate.
NEGOTIATED_KINDS = frozenset({ChangeKind.VENDOR_INITIATED, ChangeKind.FORCE_MAJEURE})
# §4.1, §4.2: the customer may claim service-period compensation after go-live.
COMPENSATION_KINDS = frozenset({ChangeKind.VENDOR_INITIATED, ChangeKind.VENDOR_AT_FAULT})

KIND_HELP = {
    ChangeKind.VENDOR_INITIATED: _("Filed by the vendor PM; both sides negotiate. Compensation may be claimed."),
    ChangeKind.VENDOR_AT_FAULT: _(
        "Filed by the customer lead about the quality of deliverables. The vendor investigates and replies "
        "within 5 working days. Compensation may be claimed."
    ),
    ChangeKind.CUSTOMER_REASONS: _(
        "Filed by the customer lead for the customer's own reasons. The vendor replies within 5 working days."
    ),
    ChangeKind.FORCE_MAJEURE: _("Filed by either project lead; both sides negotiate in good faith."),
}


class ChangeState(models.TextChoices):
    SUBMITTED = "submitted", pgettext_lazy("change state", "Submitted")
    UNDER_REVIEW = "under_review", pgettext_lazy("change state", "Under review")
    IN_NEGOTIATION = "in_negotiation", pgettext_lazy("change state", "In negotiation")
    ACCEPTED = "accepted", pgettext_lazy("change state", "Accepted")
    REJECTED = "rejected", pgettext_lazy("change state", "Not accepted")
    AGREED = "agreed", pgettext_lazy("change state", "Agreed")
    WITHDRAWN = "withdrawn", pgettext_lazy("change state", "Withdrawn")
    IMPLEMENTING = "implementing", pgettext_lazy("change state", "Implementing")
    IMPLEMENTED = "implemented", pgettext_lazy("change state", "Implemented")


# Waiting for the other side's reply or agreement: the initiator may still withdraw.
OPEN_STATES = frozenset({ChangeState.SUBMITTED, ChangeState.UNDER_REVIEW, ChangeState.IN_NEGOTIATION})
# The change was accepted or agreed (and possibly carried out since).
APPROVED_STATES = frozenset(
    {ChangeState.ACCEPTED, ChangeState.AGREED, ChangeState.IMPLEMENTING, ChangeState.IMPLEMENTED}
)


class ChangeEventKind(models.TextChoices):
    FILED = "filed", _("Change letter filed")
    REVIEW_STARTED = "review_started", _("Internal review started")
    NEGOTIATION_STARTED = "negotiation_started", _("Negotiation started")
    COMMENTED = "commented", _("Comment")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Not accepted")
    AGREEMENT_PROPOSED = "agreement_proposed", _("Agreement proposed")
    AGREEMENT_COUNTERED = "agreement_countered", _("Agreement countered")
    AGREED = "agreed", _("Agreed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    OVERDUE = "overdue", _("Reply overdue: escalated")
    OVERDUE_WITHDRAWN = "overdue_withdrawn", _("Overdue flag withdrawn: calendar corrected")
    VERSION_DRAFTED = "version_drafted", _("New deliverable version drafted")
    VERSION_CONFIRMED = "version_confirmed", _("New deliverable version confirmed")
    IMPLEMENTED = "implemented", _("Implemented")
    CLAIM_WINDOW_OPENED = "claim_window_opened", _("Compensation claim window opened")
    CLAIM_WINDOW_CLOSED = "claim_window_closed", _("Compensation claim window closed")
    CLAIM_WINDOW_REOPENED = "claim_window_reopened", _("Compensation claim window reopened: calendar corrected")
    CLAIM_FILED = "claim_filed", _("Compensation claimed")
    CLAIM_ACCEPTED = "claim_accepted", _("Compensation claim accepted")
    CLAIM_REJECTED = "claim_rejected", _("Compensation claim rejected")


class ChangeDocument(models.TextChoices):
    """The PDFs of a change: the letter, and the reply (or the record of the agreement)."""

    LETTER = "letter", _("Change letter")
    REPLY = "reply", _("Reply")


# The deliverables a change updates (§4: "both update requirements confirmation and plan").
IMPLEMENTING_DELIVERABLES = (DeliverableCode.REQUIREMENTS_CONFIRMATION, DeliverableCode.PROJECT_PLAN)


class ClaimState(models.TextChoices):
    FILED = "filed", pgettext_lazy("claim state", "Filed")
    ACCEPTED = "accepted", pgettext_lazy("claim state", "Accepted")
    REJECTED = "rejected", pgettext_lazy("claim state", "Rejected")
