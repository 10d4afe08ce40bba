from __future__ import annotations

from django.core.management.base import BaseCommand

from delivery.effects import effect_retry, effects_counts, effects_reconcile, oldest_unfinished_age
from delivery.enums import EffectState
from delivery.models import Effect


class Command(BaseCommand):
    help = "Print the outbox: effects by kind and state, and the age of the oldest unfinished one."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--retry-failed", action="store_true", help="Publish every failed effect again.")
        parser.add_argument("--reconcile", action="store_true", help="Run one reconciler pass now.")

    def handle(self, *args, retry_failed: bool, reconcile: bool, **options) -> None:
        if retry_failed:
            count = effect_retry(effects=Effect.objects.filter(state=EffectState.FAILED))
            self.stdout.write(f"retried {count} failed effect(s)")
        if reconcile:
            self.stdout.write(f"reconciler: {effects_reconcile().as_dict()}")
        counts = effects_counts()
        states = list(EffectState.values)
        kinds = sorted({kind for kind, _state in counts})
        width = max([len("kind"), *(len(kind) for kind in kinds)])
        self.stdout.write(f"{'kind':<{width}}  " + "  ".join(f"{state:>9}" for state in states))
        for kind in kinds:
            row = "  ".join(f"{counts.get((kind, state), 0):>9}" for state in states)
            self.stdout.write(f"{kind:<{width}}  {row}")
        totals = "  ".join(f"{sum(n for (_k, s), n in counts.items() if s == state):>9}" for state in states)
        self.stdout.write(f"{'total':<{width}}  {totals}")
        age = oldest_unfinished_age()
        self.stdout.write("oldest unfinished: " + ("none" if age is None else f"{age:.0f} s"))
