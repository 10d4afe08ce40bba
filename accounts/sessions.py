"""Signed-in sessions per person: recorded at sign-in, kept alive while used, ended on demand.

A session ends after ``SESSION_COOKIE_AGE`` (SESSION_IDLE_HOURS) without a request: the
middleware pushes its expiry forward at most every few minutes, so pages do not write the
session on every request. Changing one's password ends every other session of that person.
"""

from __future__ import annotations

from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from delivery.cache import cache_delete
from delivery.client_address import client_ip

from .enums import SecurityEventKind
from .models import SecurityEvent, UserSession

# How stale "last seen" and the idle expiry may get before a request refreshes them.
TOUCH_EVERY = timedelta(minutes=5)
_TOUCHED_KEY = "_touched_at"


def user_session_track(sender, request, user, **kwargs) -> None:
    """On sign-in (Django's user_logged_in): remember whose session this is."""
    session = getattr(request, "session", None)
    if session is None:
        return
    if session.session_key is None:
        session.save()
    session[_TOUCHED_KEY] = timezone.now().timestamp()
    UserSession.objects.update_or_create(
        session_id=session.session_key,
        defaults={
            "user": user,
            "ip_address": client_ip(request) or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
        },
    )


def user_session_touch(request) -> None:
    """A signed-in request: push the idle expiry forward, at most every TOUCH_EVERY."""
    session = request.session
    now = timezone.now()
    touched = session.get(_TOUCHED_KEY)
    if touched is not None and now.timestamp() - touched < TOUCH_EVERY.total_seconds():
        return
    session[_TOUCHED_KEY] = now.timestamp()  # modified: saved with a fresh expiry on the way out
    if session.session_key:
        UserSession.objects.filter(session_id=session.session_key).update(last_seen_at=now)


@transaction.atomic
def user_sessions_end(
    *,
    user: AbstractUser,
    actor: AbstractUser | None,
    keep_session_key: str | None = None,
    meta=None,
    session_keys: list[str] | None = None,
) -> int:
    """End the person's sessions (all, or the ones named), except ``keep_session_key``."""
    sessions = UserSession.objects.filter(user=user)
    if session_keys is not None:
        sessions = sessions.filter(session_id__in=session_keys)
    if keep_session_key:
        sessions = sessions.exclude(session_id=keep_session_key)
    keys = list(sessions.values_list("session_id", flat=True))
    ended, _ = Session.objects.filter(session_key__in=keys).delete()
    _cached_copies_forget(keys)
    if keys:
        SecurityEvent.objects.create(
            user=user,
            actor=actor,
            kind=SecurityEventKind.SESSIONS_ENDED,
            at=timezone.now(),
            ip_address=getattr(meta, "ip_address", None),
            user_agent=getattr(meta, "user_agent", ""),
            comment=str(len(keys)),
        )
    return len(keys)


def _cached_copies_forget(keys: list[str]) -> None:
    """With the cached_db engine a page reads the session from the cache first: ending a session
    deletes that copy too, or the person would stay signed in until it expired."""
    prefix = getattr(import_module(settings.SESSION_ENGINE).SessionStore, "cache_key_prefix", None)
    if prefix and keys:
        cache_delete(*(prefix + key for key in keys))
