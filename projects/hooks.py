"""Extension points of the projects app, filled by the apps that depend on it.

``register_gate_items(phase, provider)``: golive adds the closing checks it knows (open operation
problems, deliverables waiting for a signature): ``provider(project) -> list[GateItem]``.
``register_gate_deliverables(provider)``: documents answers which deliverables the gate out of a
phase needs and whether each is there (documents.gates, from the admin-editable catalogue):
``provider(project, phase) -> list[GateItem]``.
``on_project_closed(listener)``: told inside the transaction that a project has finished closing;
golive (listeners.py) cancels the open deadlines of the project and its go-live notices.
``register_milestone_source(source)``: the documents app answers with the milestone names of the
project's plan (``source(project=...) -> list[str]``), used by the status report's percent complete
(§5). Projects does not import documents: documents depends on projects, not back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .lifecycle import GateItem
    from .models import Project

_MILESTONE_SOURCES: list[Callable[..., list[str]]] = []


def register_milestone_source(source: Callable[..., list[str]]) -> None:
    if source not in _MILESTONE_SOURCES:
        _MILESTONE_SOURCES.append(source)


def plan_milestones(*, project: Project) -> list[str]:
    """Milestone names of the project's plan, for the status report's percent complete (§5)."""
    return [name for source in _MILESTONE_SOURCES for name in source(project=project)]


_GATE_ITEM_PROVIDERS: dict[str, list[Callable[[Project], list[GateItem]]]] = {}
_GATE_DELIVERABLE_PROVIDERS: list[Callable[[Project, str], list[GateItem]]] = []
_CLOSED_LISTENERS: list[Callable[[Project], None]] = []


def register_gate_items(phase: str, provider: Callable[[Project], list[GateItem]]) -> None:
    providers = _GATE_ITEM_PROVIDERS.setdefault(str(phase), [])
    if provider not in providers:
        providers.append(provider)


def gate_item_providers(phase: str) -> list[Callable[[Project], list[GateItem]]]:
    return _GATE_ITEM_PROVIDERS.get(str(phase), [])


def register_gate_deliverables(provider: Callable[[Project, str], list[GateItem]]) -> None:
    if provider not in _GATE_DELIVERABLE_PROVIDERS:
        _GATE_DELIVERABLE_PROVIDERS.append(provider)


def gate_deliverable_providers() -> list[Callable[[Project, str], list[GateItem]]]:
    return _GATE_DELIVERABLE_PROVIDERS


def on_project_closed(listener: Callable[[Project], None]) -> Callable[[Project], None]:
    if listener not in _CLOSED_LISTENERS:
        _CLOSED_LISTENERS.append(listener)
    return listener


def project_closed_notify(project: Project) -> None:
    for listener in _CLOSED_LISTENERS:
        listener(project)
