"""Cache access that survives a cache outage.

The cache only ever speeds things up or shares a hint (rate-limit counters, the calendar
version): when Redis is down or frozen, every call here answers as a miss within the client's
socket timeout, then skips the cache for OUTAGE_BACKOFF_SECONDS so that pages do not pay that
timeout again on every call. Nothing calls ``django.core.cache.cache`` directly.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.cache import cache

logger = logging.getLogger(__name__)

OUTAGE_BACKOFF_SECONDS = 15.0
UNAVAILABLE = object()  # what cache_get answers when the cache could not be asked

_down_until = 0.0


def _available() -> bool:
    return time.monotonic() >= _down_until


def _failed(operation: str, key: str, exc: Exception) -> None:
    global _down_until
    _down_until = time.monotonic() + OUTAGE_BACKOFF_SECONDS
    logger.warning("Cache %s of %r failed (%r); using no cache for %ss", operation, key, exc, OUTAGE_BACKOFF_SECONDS)


def cache_reset_outage() -> None:
    """Forget a recorded outage (tests, and after a configuration change)."""
    global _down_until
    _down_until = 0.0


def cache_get(key: str, default: Any = None) -> Any:
    """The cached value, ``default`` on a miss, UNAVAILABLE when the cache is down."""
    if not _available():
        return UNAVAILABLE
    try:
        return cache.get(key, default)
    except Exception as exc:
        _failed("get", key, exc)
        return UNAVAILABLE


def cache_get_many(keys: list[str]) -> dict[str, Any]:
    """The cached values found among ``keys``; empty when the cache is down."""
    if not keys or not _available():
        return {}
    try:
        return cache.get_many(keys)
    except Exception as exc:
        _failed("get_many", keys[0], exc)
        return {}


def cache_set(key: str, value: Any, timeout: float | None) -> bool:
    if not _available():
        return False
    try:
        cache.set(key, value, timeout=timeout)
    except Exception as exc:
        _failed("set", key, exc)
        return False
    return True


def cache_add(key: str, value: Any, timeout: float | None) -> bool | None:
    """True when added, False when the key exists, None when the cache is down."""
    if not _available():
        return None
    try:
        return cache.add(key, value, timeout=timeout)
    except Exception as exc:
        _failed("add", key, exc)
        return None


def cache_incr(key: str) -> int | None:
    """The incremented value; None when the key is gone or the cache is down."""
    if not _available():
        return None
    try:
        return cache.incr(key)
    except ValueError:  # the key expired
        return None
    except Exception as exc:
        _failed("incr", key, exc)
        return None


def cache_delete(*keys: str) -> None:
    if not keys or not _available():
        return
    try:
        cache.delete_many(keys)
    except Exception as exc:
        _failed("delete", keys[0], exc)
