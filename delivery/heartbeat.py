"""Every running Celery worker writes a heartbeat row; /healthz reads it to tell whether work is
being done at all (the broker can be up with no worker behind it)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from celery.signals import worker_ready, worker_shutdown
from django.db import connections
from django.utils import timezone

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 30
# A worker is alive when its last beat is younger than three periods (one missed beat is noise).
ALIVE_SECONDS = 3 * HEARTBEAT_SECONDS

_stop = threading.Event()


def heartbeat_write(*, hostname: str, queues: str, started_at: datetime) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname, defaults={"queues": queues, "started_at": started_at, "seen_at": timezone.now()}
    )


def workers_alive(*, now: datetime | None = None) -> list[WorkerHeartbeat]:
    now = now or timezone.now()
    return list(WorkerHeartbeat.objects.filter(seen_at__gte=now - timedelta(seconds=ALIVE_SECONDS)))


def _beat(hostname: str, queues: str) -> None:
    started_at = timezone.now()
    while not _stop.is_set():
        try:
            heartbeat_write(hostname=hostname, queues=queues, started_at=started_at)
        except Exception:  # the database is down: say so in the log and try again next period
            logger.exception("Writing the worker heartbeat failed")
        finally:
            connections.close_all()
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
