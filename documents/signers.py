"""Who signs a deliverable version, in which order, and where each signer stands (SPEC §3).

A deliverable type declares its signers as project roles in signing order
(``DeliverableType.signer_roles``), and the version's active customised template may add more after
them (``CustomTemplate.extra_signer_roles``); ``declared_signer_roles`` is the one list. This module
resolves a role to the person holding it on the project and answers whose turn it is. Signing is
strictly in order, so the roles already signed are always the first ones of the list.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from doctemplates.selectors import template_for_version
from projects.enums import MemberRole

from .enums import SIGNER_SIDES, SignerRole, SignerState, VersionState

_UNSET = object()


def _customer_tech_lead(project):
    """The first customer technical lead of the team with an account, or None. One query, cached
    on the project instance with its id."""
    cached = getattr(project, "_customer_tech_lead", _UNSET)
    if cached is _UNSET:
        member = (
            project.members.filter(role=MemberRole.CUSTOMER_TECH_LEAD, user__isnull=False)
            .select_related("user")
            .order_by("id")
            .first()
        )
        cached = member.user if member else None
        project._customer_tech_lead = cached
        project._customer_tech_lead_id = cached.pk if cached else None
    return cached


def _customer_tech_lead_id(project) -> int | None:
    """The technical lead's id; lists set ``_customer_tech_lead_id`` from an annotation."""
    cached = getattr(project, "_customer_tech_lead_id", _UNSET)
    if cached is _UNSET:
        lead = _customer_tech_lead(project)
        return lead.pk if lead else None
    return cached


def role_holder_id(project, role: str) -> int | None:
    """The id of the person who signs as ``role`` on ``project`` (None when nobody is named)."""
    if role == SignerRole.CUSTOMER_LEAD:
        return project.customer_lead_id
    if role == SignerRole.VENDOR_LEAD:
        return project.vendor_signer_id
    if role == SignerRole.VENDOR_PM:
        return project.vendor_pm_id
    if role == SignerRole.CUSTOMER_TECH_LEAD:
        return _customer_tech_lead_id(project)
    return None


def role_holder(project, role: str):
    """The person who signs as ``role`` on ``project``, or None."""
    if role == SignerRole.CUSTOMER_LEAD:
        return project.customer_lead
    if role == SignerRole.VENDOR_LEAD:
        return project.vendor_signer
    if role == SignerRole.VENDOR_PM:
        return project.vendor_pm
    if role == SignerRole.CUSTOMER_TECH_LEAD:
        return _customer_tech_lead(project)
    return None


def declared_signer_roles(version) -> list[str]:
    """Who signs ``version``, in order: its type's roles, then those its active customised template
    adds (issue item 6). One query, cached on the version; lists set ``_extra_signer_roles`` from
    an annotation (see documents.selectors)."""
    extra = getattr(version, "_extra_signer_roles", _UNSET)
    if extra is _UNSET:
        template = template_for_version(version)
        extra = template.extra_signer_roles if template is not None else []
        version._extra_signer_roles = extra
    own = version.deliverable.type.signer_roles
    return [*own, *(role for role in extra or [] if role not in own)]


def user_signer_roles(version, user) -> list[str]:
    """The declared signer roles of ``version`` that ``user`` holds, in signing order."""
    project = version.deliverable.project
    return [role for role in declared_signer_roles(version) if role_holder_id(project, role) == user.pk]


def next_signer_role(version, signed_roles) -> str | None:
    """The first declared role that has not signed yet (None when everybody has)."""
    return next((role for role in declared_signer_roles(version) if role not in signed_roles), None)


def role_on_turn(*, roles: list[str], signed_count: int) -> str | None:
    """Signing is in order: after ``signed_count`` signatures, the next role is the list's next one."""
    return roles[signed_count] if signed_count < len(roles) else None


@dataclass(frozen=True)
class VersionSigner:
    """One declared signer of a version, for the version page, the sealed PDF's sign-off block and
    the verification page."""

    role: str  # a SignerRole value
    role_label: str
    side: str  # "customer" or "vendor"
    person: object | None  # the user who signed, else the one who holds the role now (or None)
    signed_at: datetime.datetime | None
    typed_name: str  # as typed when signing; empty until signed
    state: str  # a SignerState value


def version_signers(version) -> list[VersionSigner]:
    """Every declared signer of ``version`` in signing order: signed (with when), waiting (their
    turn), not yet their turn, or not asked (the version is not waiting for signatures).

    Reads ``version.signatures.all()`` (prefetch it for lists); no other query for the two leads.
    """
    signatures = {signature.role: signature for signature in version.signatures.all()}
    project = version.deliverable.project
    waiting = version.state == VersionState.SUBMITTED
    turn = next_signer_role(version, signatures) if waiting else None
    signers = []
    for role in declared_signer_roles(version):
        signature = signatures.get(role)
        if signature is not None:
            state = SignerState.SIGNED
        elif role == turn:
            state = SignerState.WAITING
        elif waiting:
            state = SignerState.NOT_YET
        else:
            state = SignerState.NOT_ASKED
        signers.append(
            VersionSigner(
                role=role,
                role_label=SignerRole(role).label,
                side=SIGNER_SIDES[role],
                person=signature.signer if signature else role_holder(project, role),
                signed_at=signature.signed_at if signature else None,
                typed_name=signature.typed_name if signature else "",
                state=state,
            )
        )
    return signers
