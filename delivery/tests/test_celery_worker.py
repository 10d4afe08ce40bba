"""A task round-trip through the configured broker, with a real worker process (not eager)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery.result import allow_join_result

from delivery.celery import app, ensure_filesystem_broker_folders
from delivery.tasks import echo_task

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "delivery.settings.test"}
    ensure_filesystem_broker_folders()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "delivery",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "-Q",
            "default",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def not_eager():
    app.conf.task_always_eager = False
    yield
    app.conf.task_always_eager = True


@pytest.mark.slow
def test_task_round_trip_through_broker_with_real_worker(worker, not_eager):
    value = f"往返-{time.monotonic_ns()}"

    result = echo_task.apply_async(kwargs={"value": value})

    # Eager tasks run by threaded tests flip Celery's process-wide "inside a task" flag; this test
    # is not inside one, whatever ran before it.
    with allow_join_result():
        assert result.get(timeout=60) == value
    assert worker.poll() is None
