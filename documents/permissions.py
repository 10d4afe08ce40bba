"""Who may do what with deliverables. Visibility of the project itself is decided by projects."""

from __future__ import annotations

from accounts.selectors import user_access
from projects.permissions import project_standing

from .enums import ACCEPTED_STATES, DeliverableCode, VersionState
from .signers import next_signer_role, user_signer_roles


def user_is_vendor(user) -> bool:
    access = user_access(user)
    return access.is_admin or access.is_vendor_staff


def user_can_draft(project, user) -> bool:
    """Deliverables are drafted by the vendor (SPEC §2): its staff on the project, or an admin."""
    access = user_access(user)
    if access.is_admin:
        return True
    if not access.is_vendor_staff:
        return False
    standing = project_standing(project, user)
    return standing.is_vendor_lead or bool(standing.member_sides)


def user_can_record_offline(project, user) -> bool:
    """Submitting and recording offline confirmations are the vendor PM's (or an admin's) acts."""
    return user_access(user).is_admin or project_standing(project, user).is_vendor_lead


def user_signing_roles(version, user) -> list[str]:
    """The signer roles ``user`` holds on this version, in signing order; empty if not a signer."""
    return user_signer_roles(version, user)


def user_can_see_version(version, user) -> bool:
    """Customers see external deliverables only, and never a vendor's unsubmitted draft."""
    if user_is_vendor(user):
        return True
    if version.deliverable.type.internal:
        return False
    return version.state != VersionState.DRAFT


# --- What the version page offers (documents.pages asks; the services check again) -------------


def user_can_edit_version(version, user) -> bool:
    return version.state == VersionState.DRAFT and user_can_draft(version.deliverable.project, user)


def user_can_submit_version(version, user) -> bool:
    return version.state == VersionState.DRAFT and user_can_record_offline(version.deliverable.project, user)


def user_can_record_version_offline(version, user) -> bool:
    return version.state in (VersionState.DRAFT, VersionState.SUBMITTED) and user_can_record_offline(
        version.deliverable.project, user
    )


def user_can_sign_version(version, user) -> bool:
    """Is it ``user``'s turn: the version waits for signatures and the next declared signer is them."""
    if version.state != VersionState.SUBMITTED:
        return False
    signed = {signature.role for signature in version.signatures.all()}
    return next_signer_role(version, signed) in user_signer_roles(version, user)


def user_can_start_new_version(version, user, *, open_version_exists: bool) -> bool:
    """A new draft follows a frozen version when no other draft or submitted version is open."""
    return (
        version.state not in (VersionState.DRAFT, VersionState.SUBMITTED)
        and not open_version_exists
        and user_can_draft(version.deliverable.project, user)
    )


def user_is_asked_to_change_passwords(version, user) -> bool:
    """§2: after acceptance of the implementation report the customer lead confirms the initial
    passwords were changed."""
    return (
        version.deliverable.type.code == DeliverableCode.IMPLEMENTATION_REPORT
        and version.state in ACCEPTED_STATES
        and version.passwords_changed_at is None
        and project_standing(version.deliverable.project, user).is_customer_lead
    )
