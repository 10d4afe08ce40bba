from __future__ import annotations

from celery import shared_task

from .services import deadline_sweep

# Collected by delivery/beat.py. Every five minutes: a deadline is applied at most that late.
BEAT_SCHEDULE = {"deadline-sweep": {"task": "deadlines.sweep", "schedule": 300.0}}


@shared_task(name="deadlines.sweep")
def deadline_sweep_task() -> dict[str, int]:
    """One sweep. Safe to run twice or concurrently: each effect and reminder happens once."""
    return deadline_sweep().as_dict()
