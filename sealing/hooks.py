"""Extension point of the sealing app: who recognises a sealed file on the verification page.

``register_reference_resolver(prefix, resolver)``: the app that sealed a document answers what a
file's reference names, ``resolver(reference) -> SealedRecord | str | None``, for document codes
starting with ``prefix``. Listeners (each from its AppConfig.ready): documents ("", the
deliverable type codes), changes ("change-"), dossier ("dossier-"), support ("support_").
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .verification import DocumentReference, SealedRecord

Resolver = Callable[["DocumentReference"], "SealedRecord | str | None"]
_RESOLVERS: dict[str, Resolver] = {}


def register_reference_resolver(prefix: str, resolver: Resolver) -> None:
    """``resolver`` answers for document codes starting with ``prefix`` ("" = any other code)."""
    _RESOLVERS[prefix] = resolver


def resolver_for(document_type: str) -> Resolver | None:
    # The longest matching prefix wins, so "" is the fallback (deliverable type codes).
    matching = [prefix for prefix in _RESOLVERS if document_type.startswith(prefix)]
    return _RESOLVERS[max(matching, key=len)] if matching else None
