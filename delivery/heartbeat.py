"""Every running Celery worker registers itself in the database when it starts and beats in the
cache every HEARTBEAT_SECONDS; /healthz reads both to tell whether work is being done at all (the
broker can be up with no worker behind it).

The beat goes to the cache, not the database: a write every few seconds would change the
database's state, which keeps read pages from being served again (delivery/pagecache.py). The
registration row (hostname, queues, start) is written once at start and removed at a clean
shutdown; a worker killed outright leaves its row, shown as not alive once its beat expires.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from celery.signals import worker_ready, worker_shutdown
from django.db import connections
from django.utils import timezone

from .cache import cache_get_many, cache_set
from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
# A worker is alive when its last beat is younger than three periods (one missed beat is noise).
ALIVE_SECONDS = 3 * HEARTBEAT_SECONDS
KEY_PREFIX = "worker-heartbeat:"

_stop = threading.Event()


def worker_register(*, hostname: str, queues: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"queues": queues, "started_at": started_at, "seen_at": started_at}
    )


def worker_unregister(*, hostname: str) -> None:
    WorkerHeartbeat.objects.filter(hostname=hostname).delete()


def heartbeat_write(*, hostname: str, seen_at: datetime | None = None) -> None:
    """One beat: in the cache only, expiring when three beats have been missed."""
    cache_set(KEY_PREFIX + hostname, (seen_at or timezone.now()).isoformat(), timeout=ALIVE_SECONDS)


def workers_last_seen(workers: list[WorkerHeartbeat]) -> list[WorkerHeartbeat]:
    """The workers with ``seen_at`` set to their last beat (their start when none is cached)."""
    beats = cache_get_many([KEY_PREFIX + worker.hostname for worker in workers])
    for worker in workers:
        beat = beats.get(KEY_PREFIX + worker.hostname)
        if beat:
            worker.seen_at = max(worker.seen_at, datetime.fromisoformat(beat))
    return workers


def workers_alive(*, now: datetime | None = None) -> list[WorkerHeartbeat]:
    now = now or timezone.now()
    workers = workers_last_seen(list(WorkerHeartbeat.objects.all()))
    return [worker for worker in workers if worker.seen_at >= now - timedelta(seconds=ALIVE_SECONDS)]


def _beat(hostname: str, queues: str) -> None:
    started_at = timezone.now()
    registered = False
    while not _stop.is_set():
        if not registered:  # retried each period while the database is down
            try:
                worker_register(hostname=hostname, queues=queues, started_at=started_at)
                registered = True
            except Exception:
                logger.exception("Registering the worker failed")
            finally:
                connections.close_all()
        try:
            heartbeat_write(hostname=hostname)
        except Exception:
            logger.exception("Writing the worker heartbeat failed")
        _stop.wait(HEARTBEAT_SECONDS)


@worker_ready.connect
def _start_heartbeat(sender=None, **kwargs) -> None:
    consumer = sender
    hostname = getattr(consumer, "hostname", None) or "worker"
    queues = ",".join(sorted(q.name for q in consumer.task_consumer.queues)) if consumer.task_consumer else ""
    _stop.clear()
    threading.Thread(target=_beat, args=(hostname, queues), name="worker-heartbeat", daemon=True).start()


@worker_shutdown.connect
def _stop_heartbeat(sender=None, **kwargs) -> None:
    _stop.set()
    hostname = getattr(sender, "hostname", None)
    if not hostname:
        return
    try:
        worker_unregister(hostname=hostname)
    except Exception:
        logger.exception("Removing the worker's registration failed")
    finally:
        connections.close_all()
