"""Extension points of the documents app.

``register_waiting_source(source)``: other kinds of record a person signs (support service forms,
weekly technical reports: ``support.apps``) add their items to the "waiting for my signature" card
and page; ``source(user)`` returns ``WaitingItem`` rows, each source costing a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class WaitingItem:
    label: str
    url: str
    detail: str
    since: datetime | None


_SOURCES: list[Callable[[object], list[WaitingItem]]] = []


def register_waiting_source(source: Callable[[object], list[WaitingItem]]) -> None:
    if source not in _SOURCES:
        _SOURCES.append(source)


def waiting_items_for(user) -> list[WaitingItem]:
    """Every registered source's items for ``user``, oldest first."""
    items = [item for source in _SOURCES for item in source(user)]
    return sorted(items, key=lambda item: (item.since is None, item.since or datetime.min))
