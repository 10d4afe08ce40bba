"""Extension points of the notifications app, and who uses them (from each AppConfig.ready).

``register_verb(code, message)`` (notifications/verbs.py): what a notification can say. Every app
that notifies declares its verbs in its own ``verbs.py``, imported from its ``AppConfig.ready``:
accounts, changes, deadlines, documents, golive, projects, support.

``on_notification_event(listener)``: ``listener(verb=..., context=..., target=..., url=...)`` runs
inside notification_create's transaction once per event, whoever the recipients. Listener:
bots (posts chosen events to the project's group bots).
"""

from __future__ import annotations

from collections.abc import Callable

from .verbs import register_verb

__all__ = ["notification_event", "on_notification_event", "register_verb"]

_EVENT_LISTENERS: list[Callable[..., None]] = []


def on_notification_event(listener: Callable[..., None]) -> Callable[..., None]:
    if listener not in _EVENT_LISTENERS:
        _EVENT_LISTENERS.append(listener)
    return listener


def notification_event(**event: object) -> None:
    """Called by notifications.services for each event."""
    for listener in _EVENT_LISTENERS:
        listener(**event)
