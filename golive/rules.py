"""The go-live clocks' effects and the final-acceptance reminder (lengths and clauses: deadlines.clocks)."""

from __future__ import annotations

import datetime as dt

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from deadlines.enums import CorrectionOutcome, RuleCode
from deadlines.hooks import register_rule
from deadlines.models import Deadline
from deadlines.services import deadline_open
from notifications.services import notification_create
from projects.permissions import project_leads

from .enums import NoticeStatus
from .models import GoLiveNotice
from .services import (
    golive_deem_if_due,
    golive_url,
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


def final_acceptance_reminder_open(*, project, golive_on: dt.date) -> None:
    """ERP method: after about a month of stable operation, prepare the acceptance notice."""

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


def register() -> None:
    """The go-live clocks' effects with the deadline engine (from GoliveConfig.ready)."""
    for code in (RuleCode.GOLIVE_OBJECTION, RuleCode.GOLIVE_ARRANGEMENT):
        register_rule(
            code,
            effect=_golive_clock_expired,
            reminder_recipients=_leads,
            people=_leads,
            withdraw=_golive_clock_withdraw,
        )
    # A reminder sent early cannot be unsent and harms nothing: it stands (no withdraw).
    register_rule(RuleCode.FINAL_ACCEPTANCE_REMINDER, effect=_final_acceptance_due, people=_project_leads)
