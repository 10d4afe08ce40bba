"""What the go-live pages offer, decided here from the state machines and the user's standing
(as changes/pages.py does for a letter), not in the views or templates."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from projects.permissions import project_standing

from .models import GoLiveNotice, OperationProblem

# The customer lead may only close a resolved problem or reopen it; the vendor moves it every way.
LEAD_PROBLEM_ACTIONS = ("close", "reopen")
PROBLEM_ACTION_BUTTONS = {
    "start": (_("Start work"), "btn-outline-primary"),
    "resolve": (_("Mark resolved"), "btn-outline-success"),
    "close": (_("Close"), "btn-outline-secondary"),
    "reopen": (_("Reopen"), "btn-outline-danger"),
}


def objection_offered(*, project, notice: GoLiveNotice | None, user, now: datetime) -> bool:
    """§3.1.4: the customer lead objects in writing while the notice runs and clock (a) has not run out."""
    if notice is None or not can_proceed(notice.object):
        return False
    return project_standing(project, user).is_customer_lead and now < notice.objection_deadline.due_at


def notice_may_be_issued(*, project, user, running: GoLiveNotice | None) -> bool:
    """The vendor PM issues a notice where go-live applies, the project is not live, and no notice
    runs (an objected one is replaced by the next)."""
    standing = project_standing(project, user)
    return standing.is_manager and project.golive_applies and running is None and not project.golive_on


def actual_golive_offered(*, project, user) -> bool:
    return project_standing(project, user).is_manager and project.golive_applies and not project.golive_on


def after_golive_offered(*, project, user) -> bool:
    """On-site visits and the acceptance meeting are recorded by the vendor PM once the project is live."""
    return project_standing(project, user).is_manager and bool(project.golive_on)


def problem_actions(*, project, problem: OperationProblem, user, vendor: bool) -> list[dict]:
    """The status buttons the problem page shows ``user``, from the problem's state machine."""
    names = [t.name for t in problem.get_available_status_transitions()]
    if not vendor:
        if not project_standing(project, user).is_customer_lead:
            return []
        names = [name for name in names if name in LEAD_PROBLEM_ACTIONS]
    order = list(PROBLEM_ACTION_BUTTONS)
    return [
        {"name": name, "label": PROBLEM_ACTION_BUTTONS[name][0], "style": PROBLEM_ACTION_BUTTONS[name][1]}
        for name in sorted(names, key=order.index)
    ]
