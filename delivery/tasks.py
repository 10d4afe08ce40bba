from __future__ import annotations

from celery import shared_task

from .effects import effect_task, effects_reconcile

# Collected by delivery/beat.py. Every minute: an effect missed by the after-commit dispatch
# (broker down, process killed) goes out at most a minute after its grace period.
BEAT_SCHEDULE = {"effects-reconcile": {"task": "delivery.effects_reconcile", "schedule": 60.0}}


@shared_task(name="delivery.echo")
@effect_task
def echo_task(*, value: str) -> str:
    """Round-trips a value through the broker; used by the health check test, operators and
    bench/effects.py (as an effect)."""
    return value


@shared_task(name="delivery.effects_reconcile", ignore_result=True)
def effects_reconcile_task() -> dict[str, int]:
    """Re-publish pending and lost effects. Safe to run twice: a repeated effect does nothing."""
    return effects_reconcile().as_dict()
