from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

import delivery


def site(request: HttpRequest) -> dict:
    unread = 0
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        from notifications.selectors import notification_unread_count  # noqa: PLC0415 (layering: delivery sits below notifications)

        unread = notification_unread_count(user=user)
    return {
        "product_name": settings.SITE_NAME,
        "app_version": delivery.__version__,
        "unread_notification_count": unread,
    }
