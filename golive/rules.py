"""The go-live clocks' effects, the final-acceptance reminder, and the documents listener."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from deadlines.enums import CorrectionOutcome, DeadlineStatus, RuleCode
from deadlines.registry import register_rule
from deadlines.services import deadline_open
from documents.pages import register_initial_content
from documents.services import on_version_accepted, register_sign_check
from notifications.services import notification_create
from projects.enums import Phase
from projects.lifecycle import on_project_closed, register_gate_items
from projects.permissions import project_leads

from .enums import NoticeStatus
from .models import GoLiveNotice
from .services import (
    closing_gate_items,
    final_acceptance_refusals,
    golive_confirmation_accepted,
    golive_deem_if_due,
    golive_url,
    problem_list_open_text,
    problem_log_content,
)


def _golive_clock_expired(deadline) -> None:
    golive_deem_if_due(notice_id=deadline.target_id)


def _leads(deadline) -> list:
    return project_leads(deadline.target.project)


def _golive_clock_withdraw(deadline) -> str:
    """Calendar corrected: the clock ran out before its correct end. While the notice still runs
    (the other clock kept it from being deemed) the clock simply runs again; a deemed acceptance
    is never reversed automatically (§3.1.4): the administrator reviews it."""
    notice = GoLiveNotice.objects.select_for_update(of=("self",)).get(pk=deadline.target_id)
    if notice.status == NoticeStatus.RUNNING:
        return CorrectionOutcome.WITHDRAWN
    if notice.status == NoticeStatus.DEEMED:
        return CorrectionOutcome.ADMIN_REVIEW
    return CorrectionOutcome.STANDS  # objected, confirmed or replaced since: the clock decided nothing


for _code in (RuleCode.GOLIVE_OBJECTION, RuleCode.GOLIVE_ARRANGEMENT):
    register_rule(
        _code,
        effect=_golive_clock_expired,
        reminder_recipients=_leads,
        people=_leads,
        withdraw=_golive_clock_withdraw,
        clause="§3.1.4",
    )


def final_acceptance_reminder_open(*, project, golive_on: dt.date) -> None:
    """ERP method: after about a month of stable operation, prepare the acceptance notice."""
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import Deadline

    exists = Deadline.objects.filter(
        rule=RuleCode.FINAL_ACCEPTANCE_REMINDER,
        target_type=ContentType.objects.get_for_model(project),
        target_id=project.pk,
    ).exists()
    if exists:
        return
    start = timezone.make_aware(dt.datetime.combine(golive_on, dt.time()), timezone.get_default_timezone())
    deadline_open(
        target=project,
        rule=RuleCode.FINAL_ACCEPTANCE_REMINDER,
        started_at=start,
        working_days=settings.FINAL_ACCEPTANCE_STABLE_WORKING_DAYS,
        recipients=project_leads(project),
    )


def _project_leads(deadline) -> list:
    return project_leads(deadline.target)


def _final_acceptance_due(deadline) -> None:
    project = deadline.target
    notification_create(
        recipients=project_leads(project),
        verb="golive.final_acceptance_due",
        context={"project": project.code},
        target=project,
        url=golive_url(project),
    )


# A reminder sent early cannot be unsent and harms nothing: it stands (no withdraw).
register_rule(RuleCode.FINAL_ACCEPTANCE_REMINDER, effect=_final_acceptance_due, people=_project_leads)
on_version_accepted(golive_confirmation_accepted)


def _handover_start(*, project) -> dict:
    return {"open_problems": problem_list_open_text(project)}


register_initial_content("handover_record", _handover_start)


def _problem_log_start(*, project) -> dict:
    return problem_log_content(project)


register_initial_content("operation_problem_log", _problem_log_start)


def _closing_gate_items(project) -> list:
    """Finish closing (§2 post-go-live): no open operation problem unless the handover record
    carries it, and no deliverable still waiting for a signature."""
    return closing_gate_items(project)


register_gate_items(Phase.CLOSING, _closing_gate_items)
register_sign_check("final_acceptance_report", final_acceptance_refusals)


def _project_closed(project) -> None:
    """Closing finished: the project's clocks stop (final acceptance reminder, go-live clocks)."""
    from django.contrib.contenttypes.models import ContentType

    from deadlines.models import Deadline
    from deadlines.services import deadline_cancel

    from .models import GoLiveNotice

    targets = [(ContentType.objects.get_for_model(project), [project.pk])]
    notice_ids = list(GoLiveNotice.objects.filter(project=project).values_list("pk", flat=True))
    if notice_ids:
        targets.append((ContentType.objects.get_for_model(GoLiveNotice), notice_ids))
    for content_type, ids in targets:
        for deadline in Deadline.objects.select_for_update().filter(
            target_type=content_type, target_id__in=ids, status=DeadlineStatus.OPEN
        ):
            deadline_cancel(deadline=deadline, reason="project closed")


on_project_closed(_project_closed)
