"""Extension points of the documents app, and who listens to each (connected in AppConfig.ready).

``on_version_accepted(listener)``: ``listener(version)`` runs inside the accepting transaction when a
version is accepted (signed or confirmed offline): database work only, anything outside is recorded
as an effect. Listeners: changes (a change is implemented once its new versions are confirmed, §4),
golive (a signed go-live confirmation sets the go-live day).

``register_sign_check(code, check)``: ``check(version) -> list[str]`` may refuse a signature of a
``code`` deliverable with reasons. Listener: golive (the final acceptance report after stable
operation and the acceptance meeting).

``register_initial_content(code, provider)``: ``provider(project=...) -> dict`` is the first draft
of a ``code`` deliverable. Listener: golive (handover record, operation problem log).

``register_waiting_source(source)``: other kinds of record a person signs (support service forms,
weekly technical reports: ``support.apps``) add their items to the "waiting for my signature" card
and page; ``source(user)`` returns ``WaitingItem`` rows, each source costing a fixed number of queries.

The verification page's ``register_reference_resolver`` is the sealing app's (sealing/hooks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import DeliverableVersion

Check = Callable[["DeliverableVersion"], list[str]]
Listener = Callable[["DeliverableVersion"], None]

_ACCEPTED_LISTENERS: list[Listener] = []
_SIGN_CHECKS: dict[str, list[Check]] = {}
_INITIAL_CONTENT: dict[str, Callable[..., dict]] = {}


def on_version_accepted(listener: Listener) -> Listener:
    if listener not in _ACCEPTED_LISTENERS:
        _ACCEPTED_LISTENERS.append(listener)
    return listener


def version_accepted(version: DeliverableVersion) -> None:
    """Called by documents.services when ``version`` is accepted."""
    for listener in _ACCEPTED_LISTENERS:
        listener(version)


def register_sign_check(code: str, check: Check) -> None:
    checks = _SIGN_CHECKS.setdefault(code, [])
    if check not in checks:
        checks.append(check)


def sign_refusals(version: DeliverableVersion) -> list[str]:
    code = version.deliverable.type.code
    return [reason for check in _SIGN_CHECKS.get(code, []) for reason in check(version)]


def register_initial_content(code: str, provider: Callable[..., dict]) -> None:
    _INITIAL_CONTENT[code] = provider


def initial_content_provider(code: str) -> Callable[..., dict] | None:
    return _INITIAL_CONTENT.get(code)


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
