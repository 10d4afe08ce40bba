"""Collects the periodic tasks each app declares in ``<app>.tasks.BEAT_SCHEDULE``."""

from __future__ import annotations

from importlib import import_module

from django.apps import apps


def beat_schedule() -> dict:
    schedule: dict = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tasks")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.tasks":
                raise
            continue
        schedule.update(getattr(module, "BEAT_SCHEDULE", {}))
    return schedule
