"""Read pages served again while nothing they could show has changed.

A page decorated with ``@served_again_until_data_changes`` is drawn once and kept in the cache
(Redis in production) under a key made of everything it can depend on:

- **the database's state**: on PostgreSQL, ``pg_current_snapshot()``, which names exactly which
  transactions are visible. It changes when any transaction that wrote anything commits or
  starts writing, and never comes back to an earlier value, so a page kept under it can only be
  served while the data it was drawn from is still the data. Any write (a signature, a
  notification read, an admin edit, a worker finishing a task) makes every kept page stale at
  once; the next request draws afresh. No page has to know which rows it read, and nothing has to
  remember to clear the cache.
- the person (user id, the session's contents, the CSRF secret of the browser, so that forms in
  the page carry a token this browser can post), the address with its query, the language, the
  time zone and the local date;
- a lifetime (``PAGE_CACHE_SECONDS``, 60 s by default) bounding what depends on the clock alone
  (a reply deadline passing at 17:00 shows as passed by 17:01 at the latest).

Nothing is kept or served when the database is not PostgreSQL (SQLite, the zero-setup default,
always draws), when this request's transaction has written, when the browser has no CSRF cookie
yet, when messages are waiting to be shown, when drawing changed the session or set a cookie, or
for anything but a GET answered 200. Access is checked when the page is drawn; a kept page is
served only to the same user in the same session while the data (memberships included) is
unchanged, so losing access redraws and refuses.
"""

from __future__ import annotations

import functools
import hashlib
import json
import zlib
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from delivery.cache import UNAVAILABLE, cache_get, cache_set

KEY_PREFIX = "page:"
# View-set headers kept with the page; the middleware adds the rest on every answer.
_KEPT_HEADERS = ("Content-Type", "Content-Language", "Cache-Control", "X-Robots-Tag")


def database_state() -> str | None:
    """The database's current state as a string, or None when it cannot name one."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text, pg_current_xact_id_if_assigned()")
        snapshot, own_transaction = cursor.fetchone()
    if own_transaction is not None:
        return None  # this transaction's own writes are not named by the snapshot
    return snapshot


def _session_digest(request: HttpRequest) -> str:
    session = request.session
    contents = json.dumps(dict(session.items()), sort_keys=True, default=str)
    return f"{session.session_key or ''}:{contents}"


def page_key(request: HttpRequest, state: str) -> str | None:
    """The cache key of this request's page in this state, or None when it must be drawn."""
    csrf_secret = request.META.get("CSRF_COOKIE")
    if not csrf_secret or len(messages.get_messages(request)):
        return None
    parts = [
        state,
        request.get_full_path(),
        str(request.user.pk),
        translation.get_language() or "",
        timezone.get_current_timezone_name(),
        timezone.localdate().isoformat(),
        csrf_secret,
        _session_digest(request),
    ]
    return KEY_PREFIX + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _kept(response: HttpResponse) -> tuple[bytes, list[tuple[str, str]]]:
    """The page, compressed (HTML shrinks about tenfold: less memory and traffic in Redis)."""
    return zlib.compress(response.content, 1), [
        (name, response[name]) for name in _KEPT_HEADERS if response.has_header(name)
    ]


def _served(kept: tuple[bytes, list[tuple[str, str]]]) -> HttpResponse:
    content, headers = kept
    response = HttpResponse(zlib.decompress(content))
    for name, value in headers:
        response[name] = value
    return response


def served_again_until_data_changes(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve the page kept for this request and database state, or draw it and keep it."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        seconds = settings.PAGE_CACHE_SECONDS
        if seconds <= 0 or request.method != "GET":
            return view(request, *args, **kwargs)
        state = database_state()
        key = page_key(request, state) if state else None
        if key is None:
            return view(request, *args, **kwargs)
        kept = cache_get(key)
        if kept is not None and kept is not UNAVAILABLE:
            return _served(kept)
        csrf_secret = request.META.get("CSRF_COOKIE")
        response = view(request, *args, **kwargs)
        if getattr(response, "is_rendered", True) is False:
            response.render()
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.session.modified
            and request.META.get("CSRF_COOKIE") == csrf_secret
            and not len(messages.get_messages(request))
        ):
            cache_set(key, _kept(response), timeout=seconds)
        return response

    return wrapper
