"""Celery application. Tasks are autodiscovered from each app's tasks.py.

The beat schedule is kept in code: each app that needs periodic work lists it in
``BEAT_SCHEDULE`` in its ``tasks.py`` and this module merges them.

Queues by kind of work (delivery.enums.Queue), so that a deadline sweep that sends thousands of
e-mails never makes a signature wait for its PDF:

- ``pdf``: rendering and sealing PDFs (seconds each, CPU-bound);
- ``mail``: e-mails (notifications, invitations);
- ``deadlines``: the deadline sweep and the support reminders (periodic, can be long);
- ``default``: the outbox reconciler and anything else.

Effects carry their queue (delivery/effects.py); TASK_ROUTES sends the periodic and by-hand calls
of the same tasks to the same place. Production runs a worker per queue (README); ``bin/run``
runs one worker that consumes all four.

Redelivery after a lost worker (settings.base): tasks are acknowledged *after* they run
(``task_acks_late``) and a task whose process died is put back at once
(``task_reject_on_worker_lost``). If the whole worker is killed, Redis hands its unacknowledged
messages to another worker after ``visibility_timeout`` = 300 s. Why five minutes: a PDF render
or an e-mail takes seconds (bench/pdf.py) and a sweep batch well under a minute, so a healthy
task is never handed out twice, yet a PDF lost with a killed worker is redone within minutes
instead of the hour this was set to before. A sweep that outlives it runs twice, which it is
built for, and every effect is deduplicated by its key. Prefetch is one message per process, so
at most one message waits reserved behind a running task. Tasks have a hard time limit
(``task_time_limit`` = 240 s) below the visibility timeout, so a stuck render ends before Redis
would hand its message to a second worker. Behind all this, the outbox's reconciler re-publishes
any effect still unfinished 15 minutes after publishing (delivery/effects.py), which covers a
Redis that lost its queue altogether.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery
from kombu import Exchange
from kombu import Queue as KombuQueue

from delivery.beat import beat_schedule

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings.base")

QUEUES = ("pdf", "mail", "deadlines", "default")
TASK_ROUTES = {
    "sealing.*": {"queue": "pdf"},
    "notifications.email": {"queue": "mail"},
    "accounts.invitation_send": {"queue": "mail"},
    "deadlines.*": {"queue": "deadlines"},
    "support.reminders": {"queue": "deadlines"},
}

app = Celery("delivery")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.task_queues = [KombuQueue(name, Exchange(name), routing_key=name) for name in QUEUES]
app.conf.task_default_queue = "default"
app.conf.task_routes = TASK_ROUTES
app.autodiscover_tasks()


def ensure_filesystem_broker_folders() -> None:
    """The filesystem transport needs its folders to exist before the first message."""
    options = app.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder"):
        if options.get(key):
            Path(options[key]).mkdir(parents=True, exist_ok=True)
    backend = str(app.conf.result_backend or "")
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)


@app.on_after_finalize.connect
def _setup(sender: Celery, **kwargs: object) -> None:
    ensure_filesystem_broker_folders()
    sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}
