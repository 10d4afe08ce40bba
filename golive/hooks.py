"""Extension points of the golive app, and who listens (connected in AppConfig.ready).

``on_golive(listener)``: ``listener(project=..., golive_on=date)`` runs inside the go-live
transaction when a project goes live, actual (confirmation signed) or deemed (§3.1.4): database
work only. Listener: changes (§4.1, §4.2: the compensation claim windows open).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

_GOLIVE_LISTENERS: list[Callable[..., None]] = []


def on_golive(listener: Callable[..., None]) -> Callable[..., None]:
    if listener not in _GOLIVE_LISTENERS:
        _GOLIVE_LISTENERS.append(listener)
    return listener


def went_live(*, project, golive_on: dt.date) -> None:
    """Called by golive.services when ``project`` goes live."""
    for listener in _GOLIVE_LISTENERS:
        listener(project=project, golive_on=golive_on)
