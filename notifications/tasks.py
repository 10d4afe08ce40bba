from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .emails import notification_email_build
from .models import Notification


@shared_task(name="notifications.email", bind=True, max_retries=5, default_retry_delay=60)
def notification_email_task(self, *, notification_id: int) -> bool:
    """Send one notification's e-mail. Safe to run twice: the first run claims it."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    notification = Notification.objects.select_related("recipient__profile").get(pk=notification_id)
    try:
        notification_email_build(notification).send()
    except OSError as exc:
        # The mail server is unreachable: release the claim so the retry can send it.
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise self.retry(exc=exc) from exc
    return True
