"""Who may do what with deliverables. Visibility of the project itself is decided by projects."""

from __future__ import annotations

from accounts.selectors import user_access

from .enums import VersionState
from .signers import next_signer_role, user_signer_roles


def user_is_vendor(user) -> bool:
    access = user_access(user)
    return access.is_admin or access.is_vendor_staff


def user_can_draft(project, user) -> bool:
    """Deliverables are drafted by the vendor (SPEC §2): its staff on the project, or an admin."""
    if user_access(user).is_admin:
        return True
    if not user_access(user).is_vendor_staff:
        return False
    return user.pk == project.vendor_pm_id or project.members.filter(user_id=user.pk).exists()


def user_can_record_offline(project, user) -> bool:
    """Submitting and recording offline confirmations are the vendor PM's (or an admin's) acts."""
    return user_access(user).is_admin or user.pk == project.vendor_pm_id


def user_signing_roles(version, user) -> list[str]:
    """The signer roles ``user`` holds on this version, in signing order; empty if not a signer."""
    return user_signer_roles(version, user)


def user_can_sign_now(version, user) -> bool:
    """Is it ``user``'s turn: the version waits for signatures and the next declared signer is them."""
    if version.state != VersionState.SUBMITTED:
        return False
    signed = {signature.role for signature in version.signatures.all()}
    return next_signer_role(version, signed) in user_signer_roles(version, user)


def user_can_see_version(version, user) -> bool:
    """Customers see external deliverables only, and never a vendor's unsubmitted draft."""
    if user_is_vendor(user):
        return True
    if version.deliverable.type.internal:
        return False
    return version.state != VersionState.DRAFT
