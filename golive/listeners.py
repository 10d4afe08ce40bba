"""What golive does when other apps' events happen (connected from GoliveConfig.ready).

documents: a signed go-live confirmation sets the go-live day; the handover record and the
operation problem log start from the open problems; the final acceptance report is signed only
when nothing blocks it. projects: the closing gate asks about open problems; closing the project
stops its clocks.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from deadlines.enums import DeadlineStatus
from deadlines.models import Deadline
from deadlines.services import deadline_cancel
from documents.enums import DeliverableCode
from documents.hooks import on_version_accepted, register_initial_content, register_sign_check
from projects.enums import Phase
from projects.hooks import on_project_closed, register_gate_items

from .models import GoLiveNotice
from .services import (
    closing_gate_items,
    final_acceptance_refusals,
    golive_confirmation_accepted,
    problem_list_open_text,
    problem_log_content,
)


def _handover_start(*, project) -> dict:
    return {"open_problems": problem_list_open_text(project)}


def _problem_log_start(*, project) -> dict:
    return problem_log_content(project)


def _closing_gate_items(project) -> list:
    """Finish closing (§2 post-go-live): no open operation problem unless the handover record
    carries it, and no deliverable still waiting for a signature."""
    return closing_gate_items(project)


def _project_closed(project) -> None:
    """Closing finished: the project's clocks stop (final acceptance reminder, go-live clocks)."""
    targets = [(ContentType.objects.get_for_model(project), [project.pk])]
    notice_ids = list(GoLiveNotice.objects.filter(project=project).values_list("pk", flat=True))
    if notice_ids:
        targets.append((ContentType.objects.get_for_model(GoLiveNotice), notice_ids))
    for content_type, ids in targets:
        for deadline in Deadline.objects.select_for_update().filter(
            target_type=content_type, target_id__in=ids, status=DeadlineStatus.OPEN
        ):
            deadline_cancel(deadline=deadline, reason="project closed")


def connect() -> None:
    on_version_accepted(golive_confirmation_accepted)
    register_initial_content(DeliverableCode.HANDOVER_RECORD, _handover_start)
    register_initial_content(DeliverableCode.OPERATION_PROBLEM_LOG, _problem_log_start)
    register_gate_items(Phase.CLOSING, _closing_gate_items)
    register_sign_check(DeliverableCode.FINAL_ACCEPTANCE_REPORT, final_acceptance_refusals)
    on_project_closed(_project_closed)
