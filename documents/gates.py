"""The deliverables a phase gate needs (SPEC §1), read from the catalogue.

A type is needed by a gate when an admin ticked ``gate_required``; the gate is the one out of its
``gate_phase`` (or its own process group). The contract decides whether it applies to a project:
go-live types only with go-live, the contact directory only when the contract asks for one, the
final acceptance report when acceptance was bought or there is no go-live to close on (§1).
Registered with projects.lifecycle by DocumentsConfig.ready.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from projects.enums import PROCESS_GROUPS, Service
from projects.lifecycle import GateItem

from .enums import ACCEPTED_STATES, DeliverableCode, VersionState
from .models import DeliverableType, DeliverableVersion

# SPEC §1: the implementation delivery report must be *issued* (sent to the customer); every
# other deliverable a gate names must be accepted (signed, recorded offline or deemed).
ISSUED_STATES = {VersionState.SUBMITTED, *ACCEPTED_STATES, VersionState.SUPERSEDED}
REACHED_STATES = {*ACCEPTED_STATES, VersionState.SUPERSEDED}
ISSUED_IS_ENOUGH = {DeliverableCode.IMPLEMENTATION_REPORT}

# code → does the project's contract call for it?
_APPLIES: dict[str, Callable[..., bool]] = {
    DeliverableCode.CONTACT_DIRECTORY: lambda project: project.contact_directory_required,
    DeliverableCode.FINAL_ACCEPTANCE_REPORT: lambda project: (
        Service.ACCEPTANCE in (project.services or []) or not project.golive_applies
    ),
}


def gate_types(*, project, phase: str) -> list[DeliverableType]:
    """The catalogue's types the gate out of ``phase`` needs for ``project``, each annotated with
    ``accepted`` and ``issued`` (has the project a version in those states). One query."""
    if phase not in PROCESS_GROUPS:
        return []
    versions = DeliverableVersion.objects.filter(deliverable__project=project, deliverable__type=OuterRef("pk"))
    types = (
        DeliverableType.objects.filter(gate_required=True)
        .filter(Q(gate_phase=phase) | Q(gate_phase="", phase=phase))
        .annotate(
            accepted=Exists(versions.filter(state__in=REACHED_STATES)),
            issued=Exists(versions.filter(state__in=ISSUED_STATES)),
        )
        .order_by("position", "code")
    )
    return [
        t
        for t in types
        if (project.golive_applies or not t.golive_only) and _APPLIES.get(t.code, lambda project: True)(project)
    ]


def _label(deliverable_type: DeliverableType) -> str:
    name = deliverable_type.name
    if deliverable_type.code in ISSUED_IS_ENOUGH:
        return _("%(deliverable)s issued") % {"deliverable": name}
    if deliverable_type.code == DeliverableCode.GOLIVE_CONFIRMATION:
        return _("%(deliverable)s signed or deemed accepted") % {"deliverable": name}
    if deliverable_type.internal:
        return _("%(deliverable)s confirmed (internal)") % {"deliverable": name}
    if len(deliverable_type.signer_roles) > 1:
        return _("%(deliverable)s signed") % {"deliverable": name}
    return _("%(deliverable)s confirmed by the customer lead") % {"deliverable": name}


def gate_deliverable_items(project, phase: str) -> list[GateItem]:
    """The gate's deliverable conditions, met or not, in the reader's language."""
    return [
        GateItem(label=_label(t), met=t.issued if t.code in ISSUED_IS_ENOUGH else t.accepted)
        for t in gate_types(project=project, phase=phase)
    ]
