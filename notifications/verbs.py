"""What a notification can say. Each app registers its verbs; texts are translated when shown.

A verb's message is a lazy translatable format string filled from the notification's context,
so the same notification reads in Chinese or English depending on who looks at it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Verb:
    code: str
    message: Promise  # e.g. _("%(actor)s submitted %(document)s for your signature")


_REGISTRY: dict[str, Verb] = {}


def register_verb(code: str, message: Promise) -> Verb:
    verb = Verb(code=code, message=message)
    _REGISTRY[code] = verb
    return verb


def get_verb(code: str) -> Verb:
    try:
        return _REGISTRY[code]
    except KeyError:
        raise ValueError(f"Unknown notification verb {code!r}; register it with register_verb().") from None


SYSTEM_MESSAGE = register_verb("system.message", _("%(text)s"))
