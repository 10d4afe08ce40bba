"""The five process groups (§3.1): the timeline and the gate between one phase and the next.

Gate evaluation is split in two so that it can be tested and reused without a database:
``gate_facts_collect`` reads what a gate needs about a project (team, leads, deliverables), and
``gate_checklist`` is a pure function of those facts. The FSM transitions use the same checklist
as their ``conditions=`` and the project page shows it, so the two can never disagree.

Which deliverables a gate needs is the deliverable catalogue's answer (``DeliverableType.gate_required``
in the documents app, editable by an admin). documents depends on projects, so it registers that
answer through ``projects.hooks.register_gate_deliverables`` rather than projects importing it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from . import hooks
from .enums import PHASE_ORDER, PROCESS_GROUPS, REQUIRED_ROLES, MemberRole, Phase

if TYPE_CHECKING:
    from .models import Project, ProjectMember


@dataclass(frozen=True)
class GateFacts:
    phase: str
    kickoff_done: bool
    vendor_pm_named: bool
    customer_lead_named: bool
    roles_present: frozenset[str]
    # The deliverables the gate needs (from the catalogue), already evaluated.
    deliverables: tuple[GateItem, ...] = ()
    # Items other apps add to the gate (register_gate_items), already evaluated.
    extra_items: tuple[GateItem, ...] = ()


@dataclass(frozen=True)
class GateItem:
    label: str
    met: bool


def gate_checklist(facts: GateFacts) -> list[GateItem]:
    """Every condition of the gate out of the current phase, met or not, in the page's language."""
    items: list[GateItem] = []
    if facts.phase == Phase.INITIATION:
        items.append(GateItem(_("Kick-off meeting held"), facts.kickoff_done))
        items.append(GateItem(_("Vendor project manager named"), facts.vendor_pm_named))
        items.append(GateItem(_("Customer project lead named"), facts.customer_lead_named))
        for role in REQUIRED_ROLES:
            label = _("Team includes a %(role)s") % {"role": MemberRole(role).label}
            items.append(GateItem(label, role in facts.roles_present))
    items.extend(facts.deliverables)
    items.extend(facts.extra_items)
    return items


def gate_missing_items(facts: GateFacts) -> list[str]:
    return [item.label for item in gate_checklist(facts) if not item.met]


def gate_facts_collect(project: Project, *, members: Iterable[ProjectMember] | None = None) -> GateFacts:
    """Read what the gate needs. Pass ``members`` when the caller has already loaded the team."""
    if members is None:
        roles = frozenset(project.members.values_list("role", flat=True)) if project.pk else frozenset()
    else:
        roles = frozenset(member.role for member in members)
    providers = hooks.gate_item_providers(project.phase) if project.pk else []
    deliverable_providers = hooks.gate_deliverable_providers() if project.pk else []
    return GateFacts(
        phase=project.phase,
        kickoff_done=project.kickoff_held_on is not None,
        vendor_pm_named=project.vendor_pm_id is not None,
        customer_lead_named=project.customer_lead_id is not None,
        roles_present=roles,
        deliverables=tuple(
            item for provider in deliverable_providers for item in provider(project, str(project.phase))
        ),
        extra_items=tuple(item for provider in providers for item in provider(project)),
    )


def project_gate_missing(project: Project, *, members: Iterable[ProjectMember] | None = None) -> list[str]:
    return gate_missing_items(gate_facts_collect(project, members=members))


def project_gate_passed(project: Project) -> bool:
    """The FSM condition of every forward transition."""
    return not project_gate_missing(project)


@dataclass(frozen=True)
class TimelineStep:
    phase: str
    label: str
    state: str  # "done", "current" or "upcoming"


def phase_timeline(phase: str) -> list[TimelineStep]:
    """The four sequential process groups with the current one marked (monitoring runs alongside)."""
    current = PHASE_ORDER.index(phase)
    steps = []
    for index, group in enumerate(PROCESS_GROUPS):
        state = "done" if index < current else "current" if index == current else "upcoming"
        steps.append(TimelineStep(phase=group, label=Phase(group).label, state=state))
    return steps
