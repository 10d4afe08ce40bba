"""Reads for deliverables, with the permission filter built in (404 for anything not visible)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from doctemplates.selectors import extra_signer_roles_subquery
from projects.enums import MemberRole
from projects.models import ProjectMember
from projects.selectors import project_get_for_user, project_list_for_user
from sealing.verification import DocumentReference, SealedRecord, SignerLine

from .enums import ACCEPTED_STATES, DeliverableCode, VersionState
from .gates import ISSUED_IS_ENOUGH, ISSUED_STATES, REACHED_STATES
from .models import Deliverable, DeliverableType, DeliverableVersion, Signature
from .permissions import user_can_see_version, user_is_vendor
from .signers import VersionSigner, declared_signer_roles, role_holder_id, role_on_turn
from .signers import version_signers as signers_of_version

TECH_LEAD = MemberRole.CUSTOMER_TECH_LEAD


@dataclass(frozen=True)
class DeliverableRow:
    type: DeliverableType
    deliverable: Deliverable | None
    latest: DeliverableVersion | None
    accepted: DeliverableVersion | None


def deliverable_rows_for_project(*, project, user) -> list[DeliverableRow]:
    """Every deliverable type that applies to the project, with its latest and accepted versions."""
    vendor = user_is_vendor(user)
    types = DeliverableType.objects.all()
    if not vendor:
        types = types.filter(internal=False)
    if not project.golive_applies:
        types = types.filter(golive_only=False)
    visible_versions = DeliverableVersion.objects.order_by("-number")
    if not vendor:
        visible_versions = visible_versions.exclude(state=VersionState.DRAFT)
    deliverables = {
        d.type_id: d
        for d in Deliverable.objects.filter(project=project).prefetch_related(
            Prefetch("versions", queryset=visible_versions, to_attr="visible_versions")
        )
    }
    rows = []
    for deliverable_type in types:
        deliverable = deliverables.get(deliverable_type.pk)
        versions = deliverable.visible_versions if deliverable else []
        rows.append(
            DeliverableRow(
                type=deliverable_type,
                deliverable=deliverable,
                latest=versions[0] if versions else None,
                accepted=next((v for v in versions if v.state in ACCEPTED_STATES), None),
            )
        )
    return rows


def deliverable_type_get_for_user(*, user, code: str) -> DeliverableType:
    try:
        deliverable_type = DeliverableType.objects.get(code=code)
    except DeliverableType.DoesNotExist:
        raise Http404 from None
    if deliverable_type.internal and not user_is_vendor(user):
        raise Http404
    return deliverable_type


def deliverable_get_for_user(
    *, user, project_code: str, type_code: str
) -> tuple[object, DeliverableType, Deliverable | None]:
    project = project_get_for_user(user=user, code=project_code)
    deliverable_type = deliverable_type_get_for_user(user=user, code=type_code)
    deliverable = Deliverable.objects.filter(project=project, type=deliverable_type).first()
    if deliverable is not None:
        deliverable.project = project
    return project, deliverable_type, deliverable


def version_list(*, deliverable: Deliverable, user) -> QuerySet[DeliverableVersion]:
    qs = deliverable.versions.select_related("author").order_by("-number")
    return qs if user_is_vendor(user) else qs.exclude(state=VersionState.DRAFT)


def version_get_for_user(*, user, project_code: str, type_code: str, number: int) -> DeliverableVersion:
    """The version if ``user`` may see it; 404 otherwise, including internal types for customers."""
    project = project_get_for_user(user=user, code=project_code)
    try:
        # One query for the type, the deliverable and the version (a deliverable per type and
        # project, a number per deliverable).
        version = (
            DeliverableVersion.objects.select_related("author", "deliverable__type")
            .prefetch_related("signatures__signer", "attachments")
            .get(deliverable__project=project, deliverable__type__code=type_code, number=number)
        )
    except DeliverableVersion.DoesNotExist:
        raise Http404 from None
    if version.deliverable.type.internal and not user_is_vendor(user):
        raise Http404
    version.deliverable.project = project
    if not user_can_see_version(version, user):
        raise Http404
    return version


@dataclass(frozen=True)
class VersionSiblings:
    """What a version page shows of the deliverable's other versions."""

    visible: list[DeliverableVersion]  # those the reader may see, newest first
    previous_accepted: DeliverableVersion | None  # the last accepted (or since superseded) before it
    returned_before: DeliverableVersion | None  # the one just before, when it was returned
    open_version_exists: bool  # a draft or a submitted version is open (only one may be at a time)


def version_siblings(*, version: DeliverableVersion, user) -> VersionSiblings:
    """Every version of ``version``'s deliverable, read once (one query, without their content)."""
    versions = list(version.deliverable.versions.select_related("author").defer("content").order_by("-number"))
    for sibling in versions:
        sibling.deliverable = version.deliverable  # read already: the visibility rule looks at its type
    earlier = [v for v in versions if v.number < version.number]
    return VersionSiblings(
        visible=[v for v in versions if user_can_see_version(v, user)],
        previous_accepted=next((v for v in earlier if v.state in {*ACCEPTED_STATES, VersionState.SUPERSEDED}), None),
        returned_before=next(
            (v for v in earlier if v.number == version.number - 1 and v.state == VersionState.RETURNED), None
        ),
        open_version_exists=any(v.state in (VersionState.DRAFT, VersionState.SUBMITTED) for v in versions),
    )


# What the waiting lists show and what finds the signer on turn (documents.signers.role_holder_id,
# declared_signer_roles); not the content, the biggest column.
_WAITING_LIST_FIELDS = (
    "number",
    "state",
    "submitted_at",
    "deliverable__project__code",
    "deliverable__project__name",
    "deliverable__project__customer_lead_id",
    "deliverable__project__vendor_lead_id",
    "deliverable__project__vendor_pm_id",
    "deliverable__type__code",
    "deliverable__type__name_zh",
    "deliverable__type__name_en",
    "deliverable__type__internal",
    "deliverable__type__signer_roles",
)


def version_list_waiting_for_signature(*, user) -> list[DeliverableVersion]:
    """Submitted versions whose next signer (in the declared order) is ``user``. One query.

    Signing is in order, so after n signatures the next signer is the type's (n+1)th role; the
    rows carry the count and the people holding each role on the project.
    """
    # Only the projects where the user holds a signing role, among those they see: one small set
    # the versions are then read through, instead of a join over every version's team.
    tech_lead_of = ProjectMember.objects.filter(user_id=user.pk, role=TECH_LEAD).values("project_id")
    projects = project_list_for_user(user=user).filter(
        Q(customer_lead_id=user.pk) | Q(vendor_lead_id=user.pk) | Q(vendor_pm_id=user.pk) | Q(pk__in=tech_lead_of)
    )
    tech_lead = ProjectMember.objects.filter(
        project=OuterRef("deliverable__project"), role=TECH_LEAD, user__isnull=False
    ).order_by("id")
    signed = Signature.objects.filter(version=OuterRef("pk")).order_by().values("version")
    qs = (
        DeliverableVersion.objects.filter(state=VersionState.SUBMITTED, deliverable__project__in=projects)
        .annotate(
            signed_count=Coalesce(Subquery(signed.annotate(n=Count("pk")).values("n")), 0),
            tech_lead_id=Subquery(tech_lead.values("user_id")[:1]),
            extra_signer_roles=extra_signer_roles_subquery(),
        )
        .select_related("deliverable__project", "deliverable__type")
        .only(*_WAITING_LIST_FIELDS)
        .order_by("submitted_at", "pk")
    )
    if not user_is_vendor(user):
        qs = qs.filter(deliverable__type__internal=False)
    waiting = []
    for version in qs:
        project = version.deliverable.project
        project._customer_tech_lead_id = version.tech_lead_id
        version._extra_signer_roles = version.extra_signer_roles or []
        role = role_on_turn(roles=declared_signer_roles(version), signed_count=version.signed_count)
        if role is not None and role_holder_id(project, role) == user.pk:
            waiting.append(version)
    return waiting


@dataclass(frozen=True)
class VersionCard:
    """A dashboard row: plain values (no model instances), the type's name in the reader's language."""

    project_code: str
    type_code: str
    type_name: str
    number: int
    submitted_at: datetime.datetime | None


def version_cards_waiting_for_signature(*, user, limit: int = 10) -> list[VersionCard]:
    """version_list_waiting_for_signature as the dashboard card shows it (one query)."""
    return [
        VersionCard(
            project_code=version.deliverable.project.code,
            type_code=version.deliverable.type.code,
            type_name=version.deliverable.type.name,
            number=version.number,
            submitted_at=version.submitted_at,
        )
        for version in version_list_waiting_for_signature(user=user)[:limit]
    ]


def version_signers(version: DeliverableVersion) -> list[VersionSigner]:
    """Every declared signer of ``version`` in signing order, with person, time and state
    (signed / waiting / not yet their turn / not asked); see documents.signers.VersionSigner."""
    return signers_of_version(version)


def deliverable_gate_status(*, project, codes) -> dict[str, bool]:
    """For each type code: has the project's deliverable reached what its gate asks? One query."""
    codes = list(codes)
    reached = {code: False for code in codes}
    rows = DeliverableVersion.objects.filter(
        deliverable__project=project, deliverable__type__code__in=codes
    ).values_list("deliverable__type__code", "state")
    for code, state in rows:
        if state in (ISSUED_STATES if code in ISSUED_IS_ENOUGH else REACHED_STATES):
            reached[code] = True
    return reached


def plan_milestone_names(*, project) -> list[str]:
    """The milestones of the project's latest plan that has left the drafting desk (else the draft)."""
    versions = DeliverableVersion.objects.filter(
        deliverable__project=project, deliverable__type__code=DeliverableCode.PROJECT_PLAN
    )
    latest = (
        versions.exclude(state=VersionState.DRAFT).order_by("-number").first() or versions.order_by("-number").first()
    )
    if latest is None:
        return []
    return [row.get("name", "") for row in latest.content.get("milestones", []) if row.get("name")]


def version_sealed_record(reference: DocumentReference) -> SealedRecord | None:
    """For the verification page: the version a sealed PDF names, if its fingerprint is on record."""
    deliverable_type = DeliverableType.objects.filter(code=reference.document_type).first()
    if deliverable_type is None:
        return None
    version = None
    if reference.version.isdigit():
        version = (
            DeliverableVersion.objects.filter(
                deliverable__project__code=reference.project_code,
                deliverable__type=deliverable_type,
                number=int(reference.version),
                sha256=reference.sha256,
            )
            .select_related("deliverable__project")
            .prefetch_related("signatures")
            .first()
        )
    if version is None:
        return SealedRecord(name=deliverable_type.name, on_record=False)
    project = version.deliverable.project
    later = (
        version.deliverable.versions.filter(
            state__in=[*ACCEPTED_STATES, VersionState.SUPERSEDED], number__gt=version.number
        )
        .order_by("number")
        .first()
    )
    return SealedRecord(
        name=deliverable_type.name,
        project=f"{project.code} · {project.name}",
        version=str(version.number),
        signers=[SignerLine(s.get_role_display(), s.typed_name, s.signed_at) for s in version.signatures.all()],
        versioned=True,
        superseded_at=(later.decided_at if later is not None else None)
        if version.state == VersionState.SUPERSEDED
        else None,
    )


def version_event_list(*, version: DeliverableVersion) -> QuerySet:
    return version.events.select_related("actor").order_by("at", "id")
