from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from delivery.effects import effect_task

from .emails import notification_email_build
from .models import Notification


@shared_task(name="notifications.email", bind=True, max_retries=5, default_retry_delay=60)
@effect_task
def notification_email_task(self, *, notification_id: int) -> bool:
    """Send one notification's e-mail, at least once.

    Marked e-mailed only after the mail server accepted it. A worker killed between the two sends
    it again on redelivery, with the same Message-ID; the effect's key and lease keep two workers
    from sending it at the same time, and a sent notification is never sent again.
    """
    notification = Notification.objects.select_related("recipient__profile").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    try:
        notification_email_build(notification).send()
    except OSError as exc:  # the mail server is unreachable: try again later
        raise self.retry(exc=exc) from exc
    Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    return True
