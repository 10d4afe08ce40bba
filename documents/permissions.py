"""Who may do what with deliverables. Visibility of the project itself is decided by projects."""

from __future__ import annotations

from accounts.selectors import user_access
from projects.enums import Side
from projects.permissions import project_standing

from .enums import VersionState


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


def user_signing_side(version, user) -> str | None:
    """The side ``user`` signs for on this version, or None if they are not one of its signers."""
    standing = project_standing(version.deliverable.project, user)
    sides = version.deliverable.type.signer_sides
    if Side.CUSTOMER in sides and standing.is_customer_lead:
        return Side.CUSTOMER
    if Side.VENDOR in sides and standing.is_vendor_lead:
        return Side.VENDOR
    return None


def user_can_see_version(version, user) -> bool:
    """Customers see external deliverables only, and never a vendor's unsubmitted draft."""
    if user_is_vendor(user):
        return True
    if version.deliverable.type.internal:
        return False
    return version.state != VersionState.DRAFT
