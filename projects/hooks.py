"""Extension points of the projects app, filled by the apps that depend on it.

``register_milestone_source(source)``: the documents app answers with the milestone names of the
project's plan (``source(project=...) -> list[str]``), used by the status report's percent complete
(§5). Projects does not import documents: documents depends on projects, not back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Project

_MILESTONE_SOURCES: list[Callable[..., list[str]]] = []


def register_milestone_source(source: Callable[..., list[str]]) -> None:
    if source not in _MILESTONE_SOURCES:
        _MILESTONE_SOURCES.append(source)


def plan_milestones(*, project: Project) -> list[str]:
    """Milestone names of the project's plan, for the status report's percent complete (§5)."""
    return [name for source in _MILESTONE_SOURCES for name in source(project=project)]
