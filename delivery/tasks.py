from __future__ import annotations

from celery import shared_task


@shared_task(name="delivery.echo")
def echo_task(*, value: str) -> str:
    """Round-trips a value through the broker; used by the health check test and operators."""
    return value
