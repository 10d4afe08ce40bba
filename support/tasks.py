from __future__ import annotations

import logging

from celery import shared_task

from .services import support_reminders_send

logger = logging.getLogger(__name__)

# Collected by delivery/beat.py: emergency reminders and overdue completion confirmations.
BEAT_SCHEDULE = {"support-reminders": {"task": "support.reminders", "schedule": 900.0}}


@shared_task(name="support.reminders")
def support_reminders_task() -> dict[str, int]:
    """Emergency reminders and overdue completion confirmations; safe to run twice or concurrently."""
    return support_reminders_send()
