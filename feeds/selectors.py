"""Reads for calendar feeds (and the API's deadline lists): the deadlines, plan milestones and
on-site visits that concern a user or a project, each access-checked through the owning app."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q, QuerySet
from django.http import Http404

from changes.models import ChangeRequest
from deadlines.enums import DeadlineStatus
from deadlines.models import Deadline
from documents.enums import ACCEPTED_STATES, DeliverableCode, VersionState
from documents.models import DeliverableVersion
from golive.models import GoLiveNotice, SupportVisit
from projects.models import Project
from projects.selectors import project_list_for_user
from support.models import SupportRequest

from .models import CalendarFeed
from .services import feed_fingerprint

# Closed deadlines stay in a feed for a while, so a calendar still shows what happened.
SHOWN_STATUSES = (DeadlineStatus.OPEN, DeadlineStatus.EXPIRED, DeadlineStatus.MET)


def _about(model, ids) -> Q:
    """Deadlines about ``model`` rows in ``ids`` (content type matched by name: the query count
    then does not depend on ContentType's per-process cache)."""
    return Q(target_type__app_label=model._meta.app_label, target_type__model=model._meta.model_name, target_id__in=ids)


def _project_targets(projects: QuerySet[Project]) -> Q:
    return (
        _about(Project, projects.values("pk"))
        | _about(ChangeRequest, ChangeRequest.objects.filter(project__in=projects).values("pk"))
        | _about(GoLiveNotice, GoLiveNotice.objects.filter(project__in=projects).values("pk"))
        | _about(SupportRequest, SupportRequest.objects.filter(project__in=projects).values("pk"))
    )


def _with_targets(deadlines: QuerySet[Deadline]) -> QuerySet[Deadline]:
    """Each deadline with what it is about and that object's project: one query per kind."""
    targets = GenericPrefetch(
        "target",
        [
            Project.objects.all(),
            ChangeRequest.objects.select_related("project"),
            GoLiveNotice.objects.select_related("project"),
            SupportRequest.objects.select_related("project"),
        ],
    )
    return deadlines.select_related("target_type").prefetch_related(targets).order_by("due_at", "id")


def deadline_list_for_project(*, project: Project) -> QuerySet[Deadline]:
    """Every deadline about the project, its change letters, go-live notices and support requests."""
    projects = Project.objects.filter(pk=project.pk)
    return _with_targets(Deadline.objects.filter(_project_targets(projects), status__in=SHOWN_STATUSES))


def deadline_list_concerning(*, user: AbstractBaseUser) -> QuerySet[Deadline]:
    """Deadlines the user is told about (their recipients), in projects they can still see."""
    visible = project_list_for_user(user=user)
    return _with_targets(
        Deadline.objects.filter(recipients=user, status__in=SHOWN_STATUSES).filter(
            _project_targets(visible)
            | _about(SupportRequest, SupportRequest.objects.filter(project__isnull=True).values("pk"))
        )
    )


@dataclass(frozen=True)
class Milestone:
    project: Project
    uid: str
    name: str
    start: datetime.date
    end: datetime.date
    outputs: str
    version: int


def _date(value) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def milestone_list(*, projects: QuerySet[Project]) -> list[Milestone]:
    """The milestones of each project's current plan: the latest accepted version (SPEC §2)."""
    plans = (
        DeliverableVersion.objects.filter(
            deliverable__project__in=projects,
            deliverable__type__code=DeliverableCode.PROJECT_PLAN,
            state__in=list(ACCEPTED_STATES),
        )
        .exclude(state=VersionState.SUPERSEDED)
        .select_related("deliverable__project")
        .order_by("deliverable_id", "-number")
    )
    latest: dict[int, DeliverableVersion] = {}
    for plan in plans:
        latest.setdefault(plan.deliverable_id, plan)
    milestones = []
    for plan in latest.values():
        for row in plan.content.get("milestones", []):
            start, end = _date(row.get("planned_start")), _date(row.get("planned_end"))
            if start is None or end is None:
                continue
            milestones.append(
                Milestone(
                    project=plan.deliverable.project,
                    uid=str(row.get("uid") or row.get("name")),
                    name=row.get("name", ""),
                    start=start,
                    end=end,
                    outputs=row.get("outputs", ""),
                    version=plan.number,
                )
            )
    return milestones


def visit_list(*, projects: QuerySet[Project]) -> QuerySet[SupportVisit]:
    return SupportVisit.objects.filter(project__in=projects).select_related("project", "consultant")


def feed_get_by_token(*, token: str) -> CalendarFeed:
    """The active feed a subscription URL names; 404 for an unknown or revoked token."""

    feed = (
        CalendarFeed.objects.select_related("user", "project")
        .filter(token_sha256=feed_fingerprint(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None or not feed.user.is_active:
        raise Http404
    return feed


def feed_for_user(*, user: AbstractBaseUser, project: Project | None = None) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user_id=user.pk, project=project, revoked_at__isnull=True).first()
