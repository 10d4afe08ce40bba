from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from .enums import DeliveryState
from .models import BotDelivery
from .services import bot_delivery_send, retry_delay

# Collected by delivery/beat.py: deliveries whose task was lost are published again.
BEAT_SCHEDULE = {"bots-resend": {"task": "bots.resend_pending", "schedule": 600.0}}


@shared_task(name="bots.deliver", bind=True)
def bot_delivery_task(self, *, delivery_id: int) -> str:
    """Send one bot message; a refused one is retried later with a growing pause."""
    state = bot_delivery_send(delivery_id=delivery_id)
    if state == DeliveryState.PENDING and not self.request.is_eager:
        attempts = BotDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        bot_delivery_task.apply_async(kwargs={"delivery_id": delivery_id}, countdown=retry_delay(attempts))
    return state


@shared_task(name="bots.resend_pending")
def bot_resend_pending_task() -> int:
    """Pending deliveries older than the longest pause: their message was lost; publish again."""
    stale = timezone.now() - datetime.timedelta(minutes=30)
    ids = list(
        BotDelivery.objects.filter(state=DeliveryState.PENDING, created_at__lt=stale).values_list("pk", flat=True)
    )
    for delivery_id in ids:
        bot_delivery_task.delay(delivery_id=delivery_id)
    return len(ids)
