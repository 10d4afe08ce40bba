from __future__ import annotations

import socket
import threading
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminUserFactory
from delivery.celery import app
from delivery.heartbeat import heartbeat_write, worker_register, worker_unregister, workers_alive
from delivery.models import Effect, WorkerHeartbeat

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_broker_up(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is True


@pytest.fixture
def unreachable_broker():
    original = app.conf.broker_url
    # Nothing listens on port 1: the connection is refused at once.
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.broker_url = original


def test_healthz_returns_503_when_broker_unreachable(client, unreachable_broker):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["broker"]["ok"] is False


def test_healthz_is_not_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response.headers["Cache-Control"]


@pytest.fixture
def silent_broker():
    """A 'Redis' that accepts connections and never answers (what a frozen Redis looks like)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                accepted.append(server.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    original = app.conf.broker_url
    app.conf.broker_url = f"redis://127.0.0.1:{server.getsockname()[1]}/0"
    yield
    app.conf.broker_url = original
    stop.set()
    thread.join()
    for conn in accepted:
        conn.close()
    server.close()


def test_healthz_returns_503_within_3_seconds_when_the_broker_never_answers(client, silent_broker):
    started = time.monotonic()
    response = client.get("/healthz")
    elapsed = time.monotonic() - started

    assert response.status_code == 503
    assert response.json()["broker"] == {"ok": False, "detail": "timeout"}
    assert response.json()["database"]["ok"] is True
    assert elapsed < 3


@pytest.fixture
def real_workers_expected():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.mark.django_db(transaction=True)
def test_healthz_returns_503_when_no_worker_beats(client, real_workers_expected):
    WorkerHeartbeat.objects.create(
        hostname="celery@gone", queues="pdf", started_at=timezone.now(), seen_at=timezone.now() - timedelta(minutes=5)
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["workers"] == {"ok": False, "alive": []}


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_live_workers_and_the_oldest_unfinished_effect(client, real_workers_expected):
    started = timezone.now() - timedelta(hours=2)
    seen = timezone.now()
    worker_register(hostname="celery@pdf", queues="pdf", started_at=started)
    heartbeat_write(hostname="celery@pdf", seen_at=seen)
    # Created directly: recorded through the outbox it would be published to the test broker.
    Effect.objects.create(kind="pdf.version", key="pdf:version:1", task="documents.render_signed_pdf")
    Effect.objects.update(created_at=timezone.now() - timedelta(seconds=120))

    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["workers"] == {
        "ok": True,
        "alive": [{"hostname": "celery@pdf", "queues": "pdf", "seen_at": seen.isoformat()}],
    }
    assert 120 <= body["effects"]["oldest_unfinished_seconds"] < 180


@pytest.mark.django_db(transaction=True)
def test_worker_heartbeat_is_written_for_the_worker_in_the_cache_not_the_database(django_assert_num_queries):
    started = timezone.now() - timedelta(minutes=10)
    worker_register(hostname="celery@mail", queues="mail", started_at=started)
    worker_register(hostname="celery@gone", queues="pdf", started_at=started)

    with django_assert_num_queries(0):
        heartbeat_write(hostname="celery@mail")
        heartbeat_write(hostname="celery@mail")

    assert [w.hostname for w in workers_alive()] == ["celery@mail"]
    assert WorkerHeartbeat.objects.get(hostname="celery@mail").seen_at == started
    worker_unregister(hostname="celery@mail")
    assert workers_alive() == []
    assert list(WorkerHeartbeat.objects.values_list("hostname", flat=True)) == ["celery@gone"]


@pytest.mark.django_db(transaction=True)
def test_the_admin_lists_registered_workers_with_their_last_beat(client):
    started = timezone.now() - timedelta(hours=1)
    worker_register(hostname="celery@pdf", queues="pdf", started_at=started)
    worker_register(hostname="celery@gone", queues="mail", started_at=started)
    heartbeat_write(hostname="celery@pdf")
    client.force_login(AdminUserFactory())

    page = client.get(reverse("admin:delivery_workerheartbeat_changelist")).content.decode()

    assert "最近心跳" in page
    assert "在线" in page
    assert page.count('alt="True"') == 1
    assert page.count('alt="False"') == 1
