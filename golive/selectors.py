from __future__ import annotations

from django.http import Http404

from deadlines.selectors import deadline_list_for_target
from projects.selectors import project_get_for_user

from .models import GoLiveNotice, OperationProblem


def golive_project_get_for_user(*, user, code: str):
    return project_get_for_user(user=user, code=code)


def notice_list(*, project) -> list[GoLiveNotice]:
    return list(
        project.golive_notices.select_related("objection_deadline", "arrangement_deadline", "version", "issued_by")
        .prefetch_related("objections__filed_by")
        .order_by("-created_at", "-id")
    )


def notice_get(*, project, notice_id: int) -> GoLiveNotice:
    try:
        return project.golive_notices.select_related("objection_deadline", "arrangement_deadline").get(pk=notice_id)
    except GoLiveNotice.DoesNotExist:
        raise Http404 from None


def problem_list(*, project):
    return project.operation_problems.select_related("reported_by").order_by("-number")


def problem_get(*, project, number: int) -> OperationProblem:
    try:
        return project.operation_problems.select_related("project").get(number=number)
    except OperationProblem.DoesNotExist:
        raise Http404 from None


def problem_history(*, problem: OperationProblem) -> list:
    return list(problem.events.select_related("actor").order_by("at", "id"))


def final_acceptance_deadlines(*, project):
    return [d for d in deadline_list_for_target(target=project) if d.rule == "final_acceptance_reminder"]
