"""Reads. Every query a page needs, with the access rule built in: one place decides who sees what.

Access (projects issue, "Access"): admins see every project; vendor managers (a group of vendor
staff) see every vendor project; other vendor staff and customer users see the projects they
are members of. Anything else is 404, on every page and every action.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm_log.models import StateLog

from accounts.selectors import user_access, user_list_for_organization, user_list_vendor_staff
from delivery.people import display_name

from .enums import CHECKLIST_FINISHED, ROLE_ORDER, Phase, ReportStatus, ResponsibilityKind, RiskStatus, Side
from .models import (
    KickoffMeeting,
    Project,
    ProjectMember,
    ResponsibilityItem,
    Risk,
    StatusReport,
    WorkItem,
)
from .permissions import project_standing

User = get_user_model()


# --- Access ---------------------------------------------------------------------------------


def _ids_taking_part(*, user: AbstractBaseUser) -> QuerySet:
    """Ids of the projects ``user`` is a member or a lead of (leads are members too, but the rule
    must not depend on it).

    One set from three index look-ups: an OR of the three conditions would read every project
    and leave the planner guessing how many match, and so choose to read the whole related table.
    """
    member_of = ProjectMember.objects.filter(user_id=user.pk).order_by().values("project_id")
    leading = Project.objects.order_by().values("pk")
    return member_of.union(leading.filter(vendor_pm_id=user.pk), leading.filter(customer_lead_id=user.pk))


def _taking_part(*, user: AbstractBaseUser) -> Q:
    return Q(pk__in=_ids_taking_part(user=user))


def _sees_every_project(user: AbstractBaseUser) -> bool:
    access = user_access(user)
    return access.is_admin or access.is_vendor_manager


def _visible_filter(*, user: AbstractBaseUser) -> Q | None:
    """The row filter for ``user``; None means every project."""
    return None if _sees_every_project(user) else _taking_part(user=user)


def project_list_for_user(*, user: AbstractBaseUser) -> QuerySet[Project]:
    if not user.is_authenticated or not user.is_active:
        return Project.objects.none()
    visible = _visible_filter(user=user)
    qs = Project.objects.all()
    return qs if visible is None else qs.filter(visible)


def project_scope_for_user(*, user: AbstractBaseUser) -> Q:
    """Keeps the rows (linked through their ``project`` field) of the projects ``user`` sees.

    For admins and vendor managers, who see every project, it checks nothing, so that lists of
    every project's rows (all change letters) neither join nor count through the projects table.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if _sees_every_project(user):
        return Q()
    return Q(project_id__in=_ids_taking_part(user=user))


def project_get_for_user(*, user: AbstractBaseUser, code: str) -> Project:
    """The project if ``user`` may see it; 404 otherwise (never 403: that would confirm it exists)."""
    try:
        return (
            project_list_for_user(user=user)
            .select_related("customer", "vendor_pm", "customer_lead", "vendor_lead")
            .get(code=code)
        )
    except Project.DoesNotExist:
        raise Http404 from None


def project_get_for_manager(*, user: AbstractBaseUser, code: str) -> Project:
    """The project if ``user`` may change it: 404 if they cannot see it, 403 if they only see it."""
    project = project_get_for_user(user=user, code=code)
    if not project_standing(project, user).is_manager:
        raise PermissionDenied
    return project


# --- Lists with health ----------------------------------------------------------------------


def _count_per_project(queryset: QuerySet) -> Coalesce:
    rows = queryset.filter(project_id=OuterRef("pk")).order_by().values("project_id")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n")[:1]), Value(0), output_field=IntegerField())


def overdue_filter(*, today: datetime.date) -> Q:
    return Q(due_date__lt=today) & ~Q(status__in=CHECKLIST_FINISHED)


def project_list_with_health(*, queryset: QuerySet[Project]) -> QuerySet[Project]:
    """Annotate each project's health: overdue checklist items and open risks.

    A closed project's clocks have stopped: nothing of it is overdue any more; what it was closed
    with (open risks, unfinished checklist items) is counted instead, and no longer changes."""
    today = timezone.localdate()
    closed = Q(phase=Phase.CLOSED)
    unfinished = ResponsibilityItem.objects.exclude(status__in=CHECKLIST_FINISHED)
    return queryset.select_related("customer", "vendor_pm").annotate(
        overdue_count=Case(
            When(closed, then=Value(0)),
            default=_count_per_project(ResponsibilityItem.objects.filter(overdue_filter(today=today))),
            output_field=IntegerField(),
        ),
        open_risk_count=_count_per_project(Risk.objects.filter(status=RiskStatus.OPEN)),
        unfinished_count=Case(
            When(closed, then=_count_per_project(unfinished)), default=Value(0), output_field=IntegerField()
        ),
    )


def project_list_filtered(
    *,
    user: AbstractBaseUser,
    phase: str = "",
    customer: str = "",
    vendor_pm_id: int | None = None,
    has_overdue: bool = False,
    search: str = "",
) -> QuerySet[Project]:
    qs = project_list_with_health(queryset=project_list_for_user(user=user))
    if phase:
        qs = qs.filter(phase=phase)
    if customer:
        qs = qs.filter(Q(customer__name__icontains=customer) | Q(customer__short_name__icontains=customer))
    if vendor_pm_id:
        qs = qs.filter(vendor_pm_id=vendor_pm_id)
    if has_overdue:
        # EXISTS stops at the first overdue item, where the count's subquery groups them all.
        overdue = ResponsibilityItem.objects.filter(overdue_filter(today=timezone.localdate()))
        # A closed project has nothing overdue (its clocks stopped).
        qs = qs.exclude(phase=Phase.CLOSED).filter(Exists(overdue.filter(project_id=OuterRef("pk"))))
    if search:
        qs = qs.filter(Q(code__icontains=search) | Q(name__icontains=search))
    return qs.order_by("-created_at", "-id")


def project_pm_choices(*, user: AbstractBaseUser) -> list[tuple[int, str]]:
    """Vendor PMs that occur among the projects the user sees (one query), for the list's filter."""
    visible = project_list_for_user(user=user)
    pms = (
        User.objects.filter(pk__in=visible.values("vendor_pm_id"))
        .only("first_name", "last_name", "username")  # what display_name reads
        .order_by("first_name", "username")
    )
    return [(pm.pk, display_name(pm)) for pm in pms]


# --- One project's parts --------------------------------------------------------------------


def project_member_list(*, project: Project) -> list[ProjectMember]:
    """The contact directory: customer side first, then by role as the manual lists them."""
    members = list(project.members.select_related("user"))
    members.sort(key=lambda m: (m.side != Side.CUSTOMER, ROLE_ORDER.get(m.role, 99), m.pk))
    return members


def project_member_get(*, project: Project, member_id: int) -> ProjectMember:
    try:
        return project.members.select_related("user").get(pk=member_id)
    except ProjectMember.DoesNotExist:
        raise Http404 from None


def work_item_list(*, project: Project) -> QuerySet[WorkItem]:
    return project.work_items.all()


def work_item_get(*, project: Project, work_item_id: int) -> WorkItem:
    try:
        return project.work_items.get(pk=work_item_id)
    except WorkItem.DoesNotExist:
        raise Http404 from None


def responsibility_list(*, project: Project) -> QuerySet[ResponsibilityItem]:
    return project.responsibilities.all()


def responsibility_get(*, project: Project, item_id: int) -> ResponsibilityItem:
    try:
        return project.responsibilities.get(pk=item_id)
    except ResponsibilityItem.DoesNotExist:
        raise Http404 from None


def responsibility_rows(*, project: Project, today: datetime.date) -> list[tuple[ResponsibilityItem, bool]]:
    """The checklist with each item's overdue flag; once the project is closed nothing is overdue."""
    closed = project.phase == Phase.CLOSED
    return [(item, not closed and item.is_overdue(today)) for item in responsibility_list(project=project)]


@dataclass(frozen=True)
class ClosedWith:
    """What a closed project was closed with: its open risks and unfinished checklist items."""

    open_risks: int
    unfinished_items: int


def project_closed_with(*, project: Project) -> ClosedWith | None:
    if project.phase != Phase.CLOSED:
        return None
    return ClosedWith(
        open_risks=project.risks.filter(status=RiskStatus.OPEN).count(),
        unfinished_items=ResponsibilityItem.objects.filter(project=project)
        .exclude(status__in=CHECKLIST_FINISHED)
        .count(),
    )


def risk_list(*, project: Project) -> QuerySet[Risk]:
    return project.risks.select_related("owner")


def risk_get(*, project: Project, risk_id: int) -> Risk:
    try:
        return project.risks.select_related("owner").get(pk=risk_id)
    except Risk.DoesNotExist:
        raise Http404 from None


def status_report_list(*, project: Project, user: AbstractBaseUser | None = None) -> QuerySet[StatusReport]:
    """Drafts are the vendor's: the customer side sees published reports only."""
    reports = project.status_reports.select_related("author")
    access = user_access(user) if user is not None else None
    if access is None or not (access.is_vendor_staff or access.is_admin):
        reports = reports.filter(status=ReportStatus.PUBLISHED)
    return reports


def status_report_get(*, project: Project, report_id: int) -> StatusReport:
    try:
        return project.status_reports.get(pk=report_id)
    except StatusReport.DoesNotExist:
        raise Http404 from None


def project_people_candidates(*, project: Project) -> QuerySet:
    """People who can join the team: the vendor's staff and the customer's people."""
    vendor = user_list_vendor_staff()
    customer = user_list_for_organization(organization_id=project.customer_id)
    return (vendor | customer).select_related("profile").order_by("profile__organization__kind", "first_name")


def project_people_choices(*, project: Project) -> QuerySet:
    """People who can own a risk: the project's team."""
    return (
        User.objects.filter(pk__in=project.members.values("user_id"))
        .select_related("profile")
        .order_by("first_name", "username")
    )


@dataclass(frozen=True)
class PhaseLogEntry:
    at: datetime.datetime
    by: str
    source: str
    target: str
    reason: str
    kind: str  # "advance", "forced" or "back"


_TRANSITION_KIND = {"force_advance": "forced", "move_back": "back"}


def project_phase_log(*, project: Project) -> list[PhaseLogEntry]:
    """Every phase change with who, when, from, to and why (django-fsm-log records them)."""
    # Filter on the content type by name (a join) rather than ContentType.get_for_model, whose
    # per-process cache would make the query count depend on what ran before.
    logs = (
        StateLog.objects.filter(
            content_type__app_label=Project._meta.app_label,
            content_type__model=Project._meta.model_name,
            object_id=project.pk,
        )
        .select_related("by")
        .order_by("-timestamp", "-id")
    )
    return [
        PhaseLogEntry(
            at=log.timestamp,
            by=display_name(log.by),
            source=Phase(log.source_state).label if log.source_state in Phase.values else log.source_state or "",
            target=Phase(log.state).label if log.state in Phase.values else log.state,
            reason=log.description or "",
            kind=_TRANSITION_KIND.get(log.transition, "advance"),
        )
        for log in logs
    ]


# --- Dashboard ------------------------------------------------------------------------------


# The dashboard's cards read plain values (``values()``) and take labels from the enums: building
# model instances and calling get_FOO_display per row cost more than the queries themselves.


@dataclass(frozen=True)
class ProjectRef:
    """What a dashboard row shows of its project."""

    code: str
    name: str = ""


@dataclass(frozen=True)
class ProjectCard:
    code: str
    name: str
    customer: str
    phase: str
    phase_label: str
    overdue_count: int
    open_risk_count: int
    unfinished_count: int = 0


@dataclass(frozen=True)
class ChecklistCard:
    label: str
    due_date: datetime.date
    project: ProjectRef


@dataclass(frozen=True)
class RiskCard:
    description: str
    project: ProjectRef


def project_list_mine(*, user: AbstractBaseUser) -> QuerySet[Project]:
    """Projects the user takes part in (also for admins and managers, who can see more)."""
    qs = Project.objects.filter(_taking_part(user=user))
    return project_list_with_health(queryset=qs).order_by("phase", "-created_at")


def project_cards_mine(*, user: AbstractBaseUser, limit: int = 10) -> list[ProjectCard]:
    """The dashboard's "my projects": the first ``limit`` of project_list_mine, with their health."""
    rows = project_list_mine(user=user).values(
        "code",
        "name",
        "phase",
        "customer__name",
        "customer__short_name",
        "overdue_count",
        "open_risk_count",
        "unfinished_count",
    )[:limit]
    return [
        ProjectCard(
            code=row["code"],
            name=row["name"],
            customer=row["customer__short_name"] or row["customer__name"],
            phase=row["phase"],
            phase_label=Phase(row["phase"]).label,
            overdue_count=row["overdue_count"],
            open_risk_count=row["open_risk_count"],
            unfinished_count=row["unfinished_count"],
        )
        for row in rows
    ]


def _led_projects(*, user: AbstractBaseUser) -> Q:
    """Checklist items the user answers for: their side's items in the projects they lead."""
    return Q(project__vendor_pm_id=user.pk, side=Side.VENDOR) | Q(project__customer_lead_id=user.pk, side=Side.CUSTOMER)


def _checklist_label(row: dict) -> str:
    """ResponsibilityItem.label from values: the standard item's name, or the text typed."""
    return ResponsibilityKind(row["kind"]).label if row["kind"] else row["text"]


def responsibility_list_waiting_for(*, user: AbstractBaseUser, limit: int = 10) -> list[ChecklistCard]:
    """Open checklist items of the user's side in the projects they lead, the most urgent first."""
    rows = (
        ResponsibilityItem.objects.filter(_led_projects(user=user))
        .exclude(status__in=CHECKLIST_FINISHED)
        .exclude(project__phase=Phase.CLOSED)
        .filter(due_date__isnull=False)
        .order_by("due_date", "id")
        .values("kind", "text", "due_date", "project__code")[:limit]
    )
    return [ChecklistCard(_checklist_label(row), row["due_date"], ProjectRef(row["project__code"])) for row in rows]


def risk_list_owned_by(*, user: AbstractBaseUser, limit: int = 10) -> list[RiskCard]:
    """Open risks the user owns, in projects they still take part in."""
    rows = (
        Risk.objects.filter(owner_id=user.pk, status=RiskStatus.OPEN, project_id__in=_ids_taking_part(user=user))
        .exclude(project__phase=Phase.CLOSED)
        .order_by("-created_at")
        .values("description", "project__code")[:limit]
    )
    return [RiskCard(row["description"], ProjectRef(row["project__code"])) for row in rows]


@dataclass(frozen=True)
class UpcomingDate:
    date: datetime.date
    label: str
    project: ProjectRef


def upcoming_dates_for_user(*, user: AbstractBaseUser, days: int = 30, limit: int = 10) -> list[UpcomingDate]:
    """Dated checklist items and planned ends of the user's projects within ``days``, in date order
    (on one day, checklist items first); one query.

    The deadlines app's working-day deadlines are to be merged in here when it provides them.
    """
    today = timezone.localdate()
    until = today + datetime.timedelta(days=days)
    mine = _ids_taking_part(user=user)
    columns = ("on", "source", "row", "item_kind", "item_text", "project_code", "project_name")
    items = (
        ResponsibilityItem.objects.filter(project_id__in=mine, due_date__gte=today, due_date__lte=until)
        .exclude(status__in=CHECKLIST_FINISHED)
        .exclude(project__phase=Phase.CLOSED)
        .annotate(
            on=F("due_date"),
            source=Value(0),
            row=F("id"),
            item_kind=F("kind"),
            item_text=F("text"),
            project_code=F("project__code"),
            project_name=F("project__name"),
        )
        .order_by()
        .values_list(*columns)
    )
    ends = (
        Project.objects.filter(pk__in=mine, planned_end__gte=today, planned_end__lte=until)
        .exclude(phase=Phase.CLOSED)
        .annotate(
            on=F("planned_end"),
            source=Value(1),
            row=F("id"),
            item_kind=Value(""),
            item_text=Value(""),
            project_code=F("code"),
            project_name=F("name"),
        )
        .order_by()
        .values_list(*columns)
    )
    rows = items.union(ends, all=True).order_by("on", "source", "row")[:limit]
    planned_end = _("Planned end")
    return [
        UpcomingDate(
            on,
            planned_end if source else _checklist_label({"kind": kind, "text": text}),
            ProjectRef(code, name),
        )
        for on, source, _row, kind, text, code, name in rows
    ]


def kickoff_get(*, project: Project) -> KickoffMeeting | None:
    return KickoffMeeting.objects.select_related("recorded_by", "confirmed_by").filter(project=project).first()
