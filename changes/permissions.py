"""Who may do what with a change letter (§4). Seeing the project is decided by projects.selectors.

The leads are read from the project at the time of the act, so a new vendor PM or customer
lead takes over the letters of their side.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from projects.enums import Side
from projects.permissions import project_lead_id, project_standing

from .enums import ChangeKind


def other_side(side: str) -> str:
    return Side.CUSTOMER if side == Side.VENDOR else Side.VENDOR


# --- Filing (§4: who initiates which kind) ---------------------------------------------------


def filing_refusal(*, project, user, kind: str) -> str | None:
    """Why ``user`` may not file a letter of ``kind`` on ``project``; None when they may."""
    if kind not in ChangeKind.values:
        return _("Unknown kind of change letter.")
    side = project_standing(project, user).lead_side
    if kind == ChangeKind.VENDOR_INITIATED and side != Side.VENDOR:
        return _("Only the vendor project manager may file a 4.1 (vendor-initiated) change letter.")
    if kind in (ChangeKind.VENDOR_AT_FAULT, ChangeKind.CUSTOMER_REASONS) and side != Side.CUSTOMER:
        return _("Only the customer project lead may file a 4.2 or 4.3 (customer-initiated) change letter.")
    if kind == ChangeKind.FORCE_MAJEURE and side is None:
        return _("Only the project lead of either side may file a 4.4 (force majeure) change letter.")
    if project_lead_id(project, other_side(side)) is None:
        return _("The project has no lead on the other side to receive the letter; name one first.")
    return None


def filing_kinds(*, project, user) -> list[str]:
    """The kinds ``user`` may file on ``project`` (the new-letter form offers only these)."""
    return [kind for kind in ChangeKind.values if filing_refusal(project=project, user=user, kind=kind) is None]


# --- Steps of a letter: used as the FSM transitions' permissions ------------------------------


def user_is_initiator_lead(change, user) -> bool:
    """§4: the initiator may withdraw before a reply."""
    return project_standing(change.project, user).leads(change.initiating_side)


def user_is_recipient_lead(change, user) -> bool:
    """4.1 and 4.4: the receiving side's lead negotiates and agrees."""
    return project_standing(change.project, user).leads(other_side(change.initiating_side))


def user_is_either_lead(change, user) -> bool:
    """4.1 and 4.4: either lead proposes the terms of an agreement, or counters the other's."""
    return project_standing(change.project, user).is_lead


def user_confirms_agreement(change, user) -> bool:
    """4.1 and 4.4: an agreement needs both sides: the lead who did not propose the terms confirms them."""
    return (
        user_is_either_lead(change, user)
        and change.agreement_proposed_by_id is not None
        and user.pk != change.agreement_proposed_by_id
    )


def user_is_vendor_pm(change, user) -> bool:
    """4.2 and 4.3: the vendor PM investigates and replies."""
    return project_standing(change.project, user).is_vendor_lead


def user_can_implement(change, user) -> bool:
    """The vendor PM (or an admin) drafts the new deliverable versions of an approved change."""
    return project_standing(change.project, user).is_manager


def user_takes_part(change, user) -> bool:
    """Both project leads discuss an open letter on its page."""
    return project_standing(change.project, user).lead_side is not None


def user_can_file_claim(change, user) -> bool:
    """§4.1, §4.2: compensation is claimed by the customer lead."""
    return project_standing(change.project, user).is_customer_lead


def user_can_answer_claim(claim, user) -> bool:
    """Claims are answered by the vendor PM."""
    return project_standing(claim.change.project, user).is_vendor_lead
