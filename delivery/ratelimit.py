"""A small fixed-window rate limit on the shared cache.

Keyed on the client address (delivery/client_address.py: behind TRUSTED_PROXIES, the client the
proxy names) unless the caller names what to count (a user, an address). django-ratelimit would
do the same, but a Redis outage raises through it; this one lets the request through instead.
"""

from __future__ import annotations

import time

from django.http import HttpRequest

from .cache import cache_add, cache_incr
from .client_address import client_ip


def rate_limit_exceeded(
    *, request: HttpRequest, scope: str, limit: int, window_seconds: int, key: str | None = None
) -> bool:
    """Count this request; True once more than ``limit`` came from this client (or ``key``) in the window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{key if key is not None else client_ip(request) or 'unknown'}:{window}"
    added = cache_add(key, 1, timeout=window_seconds + 1)
    if added is None:  # the cache is down: let the request through rather than refuse everyone
        return False
    if added:
        return False
    count = cache_incr(key)
    if count is None:  # expired between add and incr, or the cache just went down
        cache_add(key, 1, timeout=window_seconds + 1)
        return False
    return count > limit
