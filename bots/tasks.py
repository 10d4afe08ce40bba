from __future__ import annotations

from celery import shared_task

from delivery.effects import effect_task

from .enums import MAX_ATTEMPTS, DeliveryState
from .models import BotDelivery
from .services import bot_delivery_send, retry_delay


@shared_task(name="bots.deliver", bind=True, max_retries=MAX_ATTEMPTS)
@effect_task
def bot_delivery_task(self, *, delivery_id: int) -> str:
    """Send one bot message; a refused one is retried with a growing pause (1, 2, 4, 8 minutes).
    Run in-process (tests), the next attempt is left to the caller."""
    state = bot_delivery_send(delivery_id=delivery_id)
    if state == DeliveryState.PENDING and not self.request.is_eager:
        attempts = BotDelivery.objects.filter(pk=delivery_id).values_list("attempts", flat=True).first() or 1
        raise self.retry(countdown=retry_delay(attempts))
    return state
