"""Periodic work of the projects app (collected by delivery/beat.py)."""

from __future__ import annotations

from celery import shared_task

from .services import risk_escalate_overdue

# Hourly is plenty for a due date counted in days; each risk is escalated once.
BEAT_SCHEDULE = {"risk-escalation": {"task": "projects.risk_escalation", "schedule": 3600.0}}


@shared_task(name="projects.risk_escalation")
def risk_escalation_task() -> int:
    """Escalate open risks whose response is overdue; safe to run twice or concurrently."""
    return risk_escalate_overdue()
