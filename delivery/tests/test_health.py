from __future__ import annotations

import pytest

from delivery.celery import app

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
