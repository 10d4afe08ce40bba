"""Celery application. Tasks are autodiscovered from each app's tasks.py.

The beat schedule is kept in code: each app that needs periodic work lists it in
``BEAT_SCHEDULE`` in its ``tasks.py`` and this module merges them.
"""

from __future__ import annotations

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings.base")

app = Celery("delivery")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["delivery"])  # the project package is not an app


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
    from delivery.beat import beat_schedule

    ensure_filesystem_broker_folders()
    sender.conf.beat_schedule = {**beat_schedule(), **(sender.conf.beat_schedule or {})}
