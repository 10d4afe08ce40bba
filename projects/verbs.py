"""Notifications the projects app sends. Messages are translated when shown, per reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.verbs import register_verb

from .enums import Phase

MEMBER_ADDED = register_verb("projects.member_added", _("%(actor)s added you to project %(project)s")).code
STATUS_REPORT_ADDED = register_verb(
    "projects.status_report_added", _("%(actor)s sent the status report of %(date)s for project %(project)s")
).code

KICKOFF_CONFIRMED = register_verb(
    "projects.kickoff_confirmed", _("%(actor)s confirmed the kick-off meeting record of project %(project)s")
).code
RISK_ESCALATED = register_verb(
    "projects.risk_escalated",
    _("Risk escalated on %(project)s: the response to “%(risk)s” (score %(score)s) was due on %(due)s"),
).code

# §1: a gate forced, or a phase moved back, by an admin: everyone learns it was forced, by whom and why.
PHASE_FORCED = register_verb(
    "projects.phase_forced",
    _(
        "%(actor)s forced project %(project)s past the gate into %(phase)s, without all its conditions. "
        "Reason: %(reason)s"
    ),
).code
PHASE_MOVED_BACK = register_verb(
    "projects.phase_moved_back", _("%(actor)s moved project %(project)s back to %(phase)s. Reason: %(reason)s")
).code

# One verb per phase reached, so that each reader sees the phase's name in their own language.
_PHASE_VERBS = {
    Phase.INITIATION: register_verb(
        "projects.phase.initiation", _("Project %(project)s is back in initiation (%(actor)s)")
    ).code,
    Phase.PLANNING: register_verb(
        "projects.phase.planning", _("Project %(project)s is now in planning (%(actor)s)")
    ).code,
    Phase.EXECUTION: register_verb(
        "projects.phase.execution", _("Project %(project)s is now in execution (%(actor)s)")
    ).code,
    Phase.CLOSING: register_verb("projects.phase.closing", _("Project %(project)s is now in closing (%(actor)s)")).code,
    Phase.CLOSED: register_verb("projects.phase.closed", _("Project %(project)s is closed (%(actor)s)")).code,
}


def phase_verb(phase: str) -> str:
    return _PHASE_VERBS[phase]
