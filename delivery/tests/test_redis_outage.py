"""Real processes: Redis on a private port is stopped in the middle of the work and started again
(empty, as after a crash without persistence); every committed e-mail is sent exactly once."""

from __future__ import annotations

import email
import os
import shutil
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.tests.factories import UserFactory
from delivery.celery import app
from delivery.effects import effects_reconcile
from delivery.enums import EffectState
from delivery.models import Effect
from notifications.services import notification_create

ROOT = Path(__file__).resolve().parents[2]
PORTS = range(6391, 6400)
BATCH = 10

pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    pytest.skip("no free port for a private Redis")


class PrivateRedis:
    def __init__(self, port: int) -> None:
        self.port = port
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        for _ in range(100):
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()  # a crash: nothing is saved
            self.process.wait()
            self.process = None


@pytest.fixture
def redis_server():
    server = PrivateRedis(_free_port())
    server.start()
    yield server
    server.stop()


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("the worker process must share the test database: PostgreSQL only")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def worker(redis_server, tmp_path):
    broker = f"redis://127.0.0.1:{redis_server.port}/0"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "delivery.settings.base",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": broker,
        "DELIVERY_VAR_DIR": str(tmp_path),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    command = [sys.executable, "-m", "celery", "-A", "delivery", "worker", "--pool=solo", "-Q", "mail,default"]
    command += ["--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    original = app.conf.broker_url
    app.conf.broker_url = broker
    app.conf.task_always_eager = False
    yield tmp_path / "mail"
    app.conf.task_always_eager = True
    app.conf.broker_url = original
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()


def _notify(users) -> None:
    for user in users:
        notification_create(recipients=[user], verb="system.message", context={"text": f"给 {user.pk}"})


def _wait_until_done(expected: int, timeout: float = 120) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = Effect.objects.filter(state=EffectState.DONE).count()
        if done >= expected:
            return done
        time.sleep(0.5)
    return Effect.objects.filter(state=EffectState.DONE).count()


def _message_ids(folder: Path) -> list[str]:
    ids = []
    for path in folder.glob("*.log") if folder.exists() else []:
        # The file backend appends messages separated by a line of dashes.
        for part in path.read_text().split("-" * 79):
            if part.strip():
                ids.append(email.message_from_string(part.strip()).get("Message-ID"))
    return sorted(ids)


def test_redis_stopped_mid_use_and_restarted_loses_and_duplicates_nothing(redis_server, worker):
    users = [UserFactory(email=f"u{i}@example.com") for i in range(3 * BATCH)]

    _notify(users[:BATCH])  # published; some still queued in Redis when it dies
    redis_server.stop()
    _notify(users[BATCH : 2 * BATCH])  # committed while the broker is down
    connection.close()
    redis_server.start()  # empty: what was queued is gone
    _notify(users[2 * BATCH :])

    # The reconciler's passes of the next half hour: pending effects, then published ones lost.
    for minutes in (2, 20):
        effects_reconcile(now=timezone.now() + timedelta(minutes=minutes))
        _wait_until_done(3 * BATCH, timeout=60)
    done = _wait_until_done(3 * BATCH)

    ids = _message_ids(worker)
    assert done == 3 * BATCH  # 0 lost
    assert len(ids) == 3 * BATCH  # 0 duplicated
    assert len(set(ids)) == 3 * BATCH
