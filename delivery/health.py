"""Liveness of what the product needs: the database, the broker, at least one worker, and the
outbox draining. Every check runs in its own thread under a deadline, so /healthz answers within
CHECK_DEADLINE seconds even when a service accepts connections and never answers."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection, connections
from django.utils import timezone

from delivery.celery import app
from delivery.effects import oldest_unfinished_age
from delivery.heartbeat import workers_alive

CHECK_DEADLINE = 2.0  # seconds for all checks together; /healthz must answer within 3


class _Check(threading.Thread):
    def __init__(self, func: Callable[[], Any]) -> None:
        super().__init__(daemon=True, name=f"healthz-{func.__name__}")
        self.func = func
        self.result: Any = None

    def run(self) -> None:
        try:
            self.result = self.func()
        finally:
            connections.close_all()  # this thread's connection only


def run_checks(checks: dict[str, tuple[Callable[[], Any], Any]], *, deadline: float = CHECK_DEADLINE) -> dict:
    """Run each check in parallel; a check still running at the deadline gets its fallback."""
    threads = {name: _Check(func) for name, (func, _fallback) in checks.items()}
    for thread in threads.values():
        thread.start()
    started = timezone.now()
    results = {}
    for name, thread in threads.items():
        remaining = deadline - (timezone.now() - started).total_seconds()
        thread.join(max(0.0, remaining))
        results[name] = checks[name][1] if thread.is_alive() or thread.result is None else thread.result
    return results


def database_ok() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any failure means "down"; the reason goes to the operator
        return False, exc.__class__.__name__
    return True, connection.vendor


def broker_ok() -> tuple[bool, str]:
    try:
        with app.connection_for_write(transport_options={"max_retries": 0}) as conn:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=2)
            transport = conn.transport_cls
            if transport == "redis":
                # Connecting is not enough: a frozen Redis accepts connections and never answers.
                conn.default_channel.client.ping()
    except Exception as exc:
        return False, exc.__class__.__name__
    return True, str(transport)


def outbox_state() -> dict:
    """Worker heartbeats and the oldest unfinished effect (read in the check's own thread)."""

    alive = workers_alive()
    eager = bool(app.conf.task_always_eager)  # tests and shells: tasks run in this process
    age = oldest_unfinished_age()
    return {
        "workers": {
            "ok": eager or bool(alive),
            "alive": [{"hostname": w.hostname, "queues": w.queues, "seen_at": w.seen_at.isoformat()} for w in alive],
        },
        "effects": {"oldest_unfinished_seconds": None if age is None else round(age)},
    }


def health_report() -> tuple[bool, dict]:
    unknown = {"workers": {"ok": False, "alive": []}, "effects": {"oldest_unfinished_seconds": None}}
    results = run_checks(
        {
            "database": (database_ok, (False, "timeout")),
            "broker": (broker_ok, (False, "timeout")),
            "outbox": (_outbox_or_none, unknown),
        }
    )
    db_up, db_detail = results["database"]
    broker_up, broker_detail = results["broker"]
    outbox = results["outbox"]
    healthy = db_up and broker_up and outbox["workers"]["ok"]
    return healthy, {
        "status": "ok" if healthy else "unavailable",
        "database": {"ok": db_up, "detail": db_detail},
        "broker": {"ok": broker_up, "detail": broker_detail},
        **outbox,
    }


def _outbox_or_none() -> dict | None:
    try:
        return outbox_state()
    except Exception:
        return None
