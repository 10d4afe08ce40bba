"""A small fixed-window rate limit on the shared cache, for public endpoints."""

from __future__ import annotations

import time

from django.http import HttpRequest

from .cache import cache_add, cache_incr


def client_ip(request: HttpRequest) -> str:
    """The client's address as the web server saw it (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_exceeded(*, request: HttpRequest, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once more than ``limit`` came from this client in the window."""
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
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
