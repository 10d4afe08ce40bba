"""Reads for change letters, with the access rule built in: whoever may see the project sees its
letters (both sides take part in every change); anyone else gets 404."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from accounts.enums import VENDOR_MANAGERS_GROUP, OrganizationKind
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.models import Deadline
from projects.enums import Phase, Side
from projects.models import Project
from projects.selectors import ProjectRef, project_get_for_user, project_scope_for_user

from .enums import COMPENSATION_KINDS, NEGOTIATED_KINDS, REPLY_KINDS, ChangeKind, ChangeState, ClaimState
from .models import ChangeEvent, ChangePdf, ChangeRequest, ChangeVersion, CompensationClaim

User = get_user_model()


def vendor_manager_list() -> QuerySet:
    """The vendor managers (SPEC §4: an overdue reply is shown to the PM and their manager)."""
    return User.objects.filter(
        is_active=True, groups__name=VENDOR_MANAGERS_GROUP, profile__organization__kind=OrganizationKind.VENDOR
    ).order_by("pk")


def _deadline_due(rule: str, *statuses: str) -> Subquery:
    """The due time of the letter's latest deadline of ``rule`` in one of ``statuses`` (content
    type matched by name, so the query count does not depend on ContentType's per-process cache)."""
    deadlines = Deadline.objects.filter(
        target_type__app_label=ChangeRequest._meta.app_label,
        target_type__model=ChangeRequest._meta.model_name,
        target_id=OuterRef("pk"),
        rule=rule,
        status__in=statuses,
    ).order_by("-id")
    return Subquery(deadlines.values("due_at")[:1])


def _with_list_facts(queryset: QuerySet[ChangeRequest]) -> QuerySet[ChangeRequest]:
    return queryset.select_related("project", "initiated_by").annotate(
        # Waiting for the reply: open, or run out (overdue) and still not answered.
        reply_due_at=_deadline_due(RuleCode.CHANGE_REPLY, DeadlineStatus.OPEN, DeadlineStatus.EXPIRED)
    )


def change_list_for_user(*, user: AbstractBaseUser) -> QuerySet[ChangeRequest]:
    return ChangeRequest.objects.filter(project_scope_for_user(user=user))


def change_list_filtered(
    *,
    user: AbstractBaseUser,
    project: Project | None = None,
    kind: str = "",
    state: str = "",
    overdue: bool = False,
) -> QuerySet[ChangeRequest]:
    """One project's letters (already access-checked) or those of every project the user sees."""
    qs = ChangeRequest.objects.filter(project=project) if project is not None else change_list_for_user(user=user)
    if kind:
        qs = qs.filter(kind=kind)
    if state:
        qs = qs.filter(state=state)
    if overdue:
        qs = qs.filter(overdue_at__isnull=False, replied_at__isnull=True)
    return _with_list_facts(qs).order_by("-received_at", "-id")


def change_get_for_user(*, user: AbstractBaseUser, code: str, number: int) -> ChangeRequest:
    """The letter if ``user`` may see its project; 404 otherwise."""
    project = project_get_for_user(user=user, code=code)
    try:
        change = ChangeRequest.objects.select_related("initiated_by", "replied_by").get(project=project, number=number)
    except ChangeRequest.DoesNotExist:
        raise Http404 from None
    change.project = project
    return change


def change_event_list(*, change: ChangeRequest) -> QuerySet[ChangeEvent]:
    return change.events.select_related("actor").order_by("at", "id")


def change_version_list(*, change: ChangeRequest) -> QuerySet[ChangeVersion]:
    return change.versions.select_related("deliverable__type", "drafted_version", "accepted_version")


def change_pdfs(*, change: ChangeRequest) -> dict[str, ChangePdf]:
    return {pdf.document: pdf for pdf in change.pdfs.all()}


def change_claim(*, change: ChangeRequest) -> CompensationClaim | None:
    claim = CompensationClaim.objects.filter(change=change).select_related("filed_by", "answered_by").first()
    if claim is not None:
        claim.change = change
    return claim


def claim_list_for_project(*, project: Project) -> QuerySet[CompensationClaim]:
    return (
        CompensationClaim.objects.filter(change__project=project)
        .select_related("change", "filed_by", "answered_by")
        .order_by("-filed_at", "-id")
    )


def change_list_claimable(*, project: Project) -> QuerySet[ChangeRequest]:
    """4.1 and 4.2 changes of the project with an open claim window and no claim yet."""
    return (
        _with_list_facts(ChangeRequest.objects.filter(project=project, kind__in=list(COMPENSATION_KINDS)))
        .annotate(claim_due_at=_deadline_due(RuleCode.COMPENSATION_CLAIM, DeadlineStatus.OPEN))
        .filter(claim_due_at__isnull=False, claim__isnull=True)
        .order_by("number")
    )


def change_list_waiting_for(*, user: AbstractBaseUser, limit: int = 10) -> QuerySet[ChangeRequest]:
    """Letters where it is ``user``'s turn: to review or reply, to negotiate or agree, to draft
    the new versions, or to answer a compensation claim. One query (for the dashboard)."""
    pm = Q(project__vendor_pm_id=user.pk)
    lead = Q(project__customer_lead_id=user.pk)
    negotiating = Q(kind__in=list(NEGOTIATED_KINDS), state__in=[ChangeState.SUBMITTED, ChangeState.IN_NEGOTIATION])
    turn = (
        (pm & Q(kind__in=list(REPLY_KINDS), state__in=[ChangeState.SUBMITTED, ChangeState.UNDER_REVIEW]))
        | (pm & Q(state__in=[ChangeState.ACCEPTED, ChangeState.AGREED]))
        | (pm & negotiating & Q(initiating_side=Side.CUSTOMER))
        | (lead & negotiating & Q(initiating_side=Side.VENDOR))
        | (pm & Q(claim__state=ClaimState.FILED))
    )
    # Every turn is the project's PM's or customer lead's, who both see the project: the letters of
    # the open projects the user leads (two index look-ups) are the only ones to look at, and the
    # general access filter would only add work for the planner.
    if not user.is_active:
        return ChangeRequest.objects.none()
    led = (
        Project.objects.filter(Q(vendor_pm_id=user.pk) | Q(customer_lead_id=user.pk))
        .exclude(phase=Phase.CLOSED)
        .values("pk")
    )
    letters = ChangeRequest.objects.filter(project__in=led).filter(turn)
    return _with_list_facts(letters).order_by("received_at", "id")[:limit]


@dataclass(frozen=True)
class ChangeCard:
    """A dashboard row: plain values, labels from the enums (no model instance per row)."""

    number: int
    title: str
    project: ProjectRef
    kind_label: str
    state_label: str
    reply_due_at: datetime | None
    replied_at: datetime | None
    is_overdue: bool


def change_cards_waiting_for(*, user: AbstractBaseUser, limit: int = 10) -> list[ChangeCard]:
    """change_list_waiting_for as the dashboard card shows it (one query)."""
    rows = change_list_waiting_for(user=user, limit=limit).values(
        "number", "title", "project__code", "kind", "state", "reply_due_at", "replied_at", "overdue_at"
    )
    return [
        ChangeCard(
            number=row["number"],
            title=row["title"],
            project=ProjectRef(row["project__code"]),
            kind_label=ChangeKind(row["kind"]).label,
            state_label=ChangeState(row["state"]).label,
            reply_due_at=row["reply_due_at"],
            replied_at=row["replied_at"],
            is_overdue=row["overdue_at"] is not None and row["replied_at"] is None,
        )
        for row in rows
    ]


def change_reference_on_record(*, project_code: str, document_type: str, number: str, sha256: str) -> bool:
    """For the verification page: is the letter or reply a sealed PDF names ("change-letter" or
    "change-reply", the letter's number, the SHA-256) on record here with that fingerprint?"""
    fields = {"change-letter": "letter_sha256", "change-reply": "reply_sha256"}
    if document_type not in fields or not number.isdigit():
        return False
    return ChangeRequest.objects.filter(
        project__code=project_code, number=int(number), **{fields[document_type]: sha256}
    ).exists()
