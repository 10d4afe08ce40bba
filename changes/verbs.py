"""Notifications of change letters (registered when the app is ready). Translated per reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from documents.enums import DeliverableCode
from notifications.verbs import register_verb

FILED = register_verb("changes.filed", _("%(actor)s filed change letter %(change)s (§%(kind)s)")).code
REVIEW_STARTED = register_verb(
    "changes.review_started", _("%(actor)s started the internal review of change letter %(change)s")
).code
ACCEPTED = register_verb("changes.accepted", _("%(actor)s accepted change letter %(change)s")).code
REJECTED = register_verb("changes.rejected", _("%(actor)s did not accept change letter %(change)s")).code
NEGOTIATION_STARTED = register_verb(
    "changes.negotiation_started", _("%(actor)s opened the negotiation of change letter %(change)s")
).code
AGREEMENT_PROPOSED = register_verb(
    "changes.agreement_proposed",
    _("%(actor)s proposed the terms of agreement on change letter %(change)s: please confirm or counter them"),
).code
AGREEMENT_COUNTERED = register_verb(
    "changes.agreement_countered",
    _("%(actor)s countered the proposed terms on change letter %(change)s: please confirm or counter them"),
).code
AGREED = register_verb("changes.agreed", _("%(actor)s agreed to change letter %(change)s")).code
WITHDRAWN = register_verb("changes.withdrawn", _("%(actor)s withdrew change letter %(change)s")).code
COMMENTED = register_verb("changes.commented", _("%(actor)s commented on change letter %(change)s")).code
OVERDUE = register_verb(
    "changes.overdue",
    _("The reply to change letter %(change)s is overdue: it was due by the end of %(due)s (§4.2, §4.3)."),
).code
IMPLEMENTED = register_verb(
    "changes.implemented", _("Change %(change)s is implemented: its new deliverable versions are confirmed.")
).code
CLAIM_WINDOW_OPENED = register_verb(
    "changes.claim_window_opened",
    _("You may claim service-period compensation for change %(change)s until the end of %(due)s."),
).code
CLAIM_FILED = register_verb(
    "changes.claim_filed", _("%(actor)s claimed %(days)s day(s) of service-period compensation for change %(change)s")
).code
CLAIM_ACCEPTED = register_verb(
    "changes.claim_accepted",
    _("%(actor)s accepted the compensation claim for change %(change)s: %(days)s day(s) granted"),
).code
CLAIM_REJECTED = register_verb(
    "changes.claim_rejected", _("%(actor)s rejected the compensation claim for change %(change)s")
).code

# One verb per deliverable, so that each reader sees the document's name in their own language.
_VERSION_DRAFTED = {
    DeliverableCode.REQUIREMENTS_CONFIRMATION: register_verb(
        "changes.drafted.requirements_confirmation",
        _("%(actor)s started version %(number)s of the requirements confirmation to implement change %(change)s"),
    ).code,
    DeliverableCode.PROJECT_PLAN: register_verb(
        "changes.drafted.project_plan",
        _("%(actor)s started version %(number)s of the project plan to implement change %(change)s"),
    ).code,
}


def version_drafted_verb(type_code: str) -> str:
    return _VERSION_DRAFTED[type_code]
