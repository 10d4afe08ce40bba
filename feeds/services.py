"""Calendar feed subscriptions: created on first request, revoked (and replaced) by their owner."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from delivery.crypto import decrypt_secret, encrypt_secret
from projects.models import Project
from projects.selectors import project_list_for_user

from .models import CalendarFeed


def feed_fingerprint(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_url(feed: CalendarFeed) -> str:
    """The path of the feed (the caller makes it absolute for the subscriber)."""
    return reverse("feeds:ics", args=[decrypt_secret(feed.token_encrypted)])


@transaction.atomic
def feed_get_or_create(*, user: AbstractBaseUser, project: Project | None = None) -> CalendarFeed:
    """The user's active feed (their own, or of ``project`` when they are on its team)."""
    if not user.is_active:
        raise PermissionDenied
    if project is not None and not project_list_for_user(user=user).filter(pk=project.pk).exists():
        raise PermissionDenied
    feed = CalendarFeed.objects.select_for_update().filter(user_id=user.pk, project=project, revoked_at__isnull=True)
    existing = feed.first()
    if existing is not None:
        return existing
    token = secrets.token_urlsafe(32)
    return CalendarFeed.objects.create(
        user=user, project=project, token_sha256=feed_fingerprint(token), token_encrypted=encrypt_secret(token)
    )


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, user: AbstractBaseUser) -> None:
    """The old URL stops working at once; a new one is made the next time the page asks."""
    if feed.user_id != user.pk:
        raise PermissionDenied
    CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
