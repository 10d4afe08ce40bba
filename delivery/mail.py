"""E-mail plumbing shared by the apps that send mail."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from django.conf import settings


def stable_message_id(*, kind: str, pk: int, created_at: datetime) -> str:
    """The same Message-ID on every attempt to send one e-mail: a resend after a worker crash (the
    server accepted the first, we never recorded it) is recognised as a duplicate by mail clients.
    The creation time keeps ids unique across databases restored or reset with the same ids."""
    domain = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"<{kind}.{pk}.{int(created_at.timestamp())}@{domain}>"
