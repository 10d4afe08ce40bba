"""Test helpers for code that records effects (delivery/effects.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db.models import Max

from delivery.models import Effect


def effect_kinds() -> list[str]:
    """The kinds of every recorded effect, sorted: what a service scheduled, whatever ran."""
    return sorted(Effect.objects.values_list("kind", flat=True))


@contextmanager
def effects_recorded() -> Iterator[list[str]]:
    """The sorted kinds of the effects recorded inside the block (filled in when it ends)."""
    before = Effect.objects.aggregate(last=Max("id"))["last"] or 0
    kinds: list[str] = []
    yield kinds
    kinds.extend(sorted(Effect.objects.filter(id__gt=before).values_list("kind", flat=True)))
