from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from delivery.mail import stable_message_id

from .models import Notification


def recipient_language(notification: Notification) -> str:
    profile = getattr(notification.recipient, "profile", None)
    return getattr(profile, "language", None) or settings.LANGUAGE_CODE


def notification_email_build(notification: Notification) -> EmailMultiAlternatives:
    """Render the e-mail in the recipient's language from the translated templates."""
    with translation.override(recipient_language(notification)):
        context = {
            "notification": notification,
            "message": notification.message,
            "link": f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else "",
            "product_name": settings.SITE_NAME,
        }
        subject = render_to_string("notifications/email/subject.txt", context).strip()
        text = render_to_string("notifications/email/body.txt", context)
        html = render_to_string("notifications/email/body.html", context)
    message_id = stable_message_id(kind="notification", pk=notification.pk, created_at=notification.created_at)
    email = EmailMultiAlternatives(
        subject=subject, body=text, to=[notification.recipient.email], headers={"Message-ID": message_id}
    )
    email.attach_alternative(html, "text/html")
    return email
