"""Benchmark: the outbox's dispatcher throughput, and a PDF never waits behind a sweep's mail.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/1 \\
        python bench/effects.py

The benchmark creates its own database on that server (BENCH_DATABASE, default
``delivery_bench_effects``), migrates it and drops it at the end. It records 5,000 mail effects
(BENCH_MAILS: notification e-mails, sent to Django's dummy backend) and then 50 PDF effects
(BENCH_PDFS), starts one worker on the ``mail`` queue and one on the ``pdf`` queue as the README's
production layout does, publishes everything with the dispatcher and prints:

- the dispatcher's rate (effects published per second, recording excluded);
- the time from the start of publishing to the last PDF effect done; the PDFs were published
  *after* the 5,000 e-mails, so with one FIFO queue they would wait for all of them;
- the time to the last e-mail, for comparison.

The PDF effects run ``delivery.echo`` on the ``pdf`` queue (BENCH_PDF_TASK): what is measured is
the wait in the queues, not WeasyPrint (see bench/pdf.py for rendering).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
MAILS = int(os.environ.get("BENCH_MAILS", "5000"))
PDFS = int(os.environ.get("BENCH_PDFS", "50"))
PDF_TASK = os.environ.get("BENCH_PDF_TASK", "delivery.echo")
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "delivery_bench_effects")
TIMEOUT = float(os.environ.get("BENCH_TIMEOUT", "900"))


def server_urls() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or not os.environ.get("REDIS_URL"):
        sys.exit("Set DATABASE_URL to a PostgreSQL server and REDIS_URL to a Redis database.")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def admin_sql(maintenance_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(statement)


def setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings.base")
    os.environ["DEBUG"] = "false"
    os.environ["EFFECTS_PUBLISH_IN_BACKGROUND"] = "false"  # the bench times the dispatcher itself
    os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.dummy.EmailBackend"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def record() -> list[str]:
    """5,000 notifications with their mail effects, then the PDF effects; returns the keys in order."""
    from django.db import transaction

    from accounts.services import user_ensure
    from delivery.effects import EffectSpec
    from delivery.enums import Queue
    from delivery.models import Effect
    from notifications.models import Notification

    user = user_ensure(username="bench", email="bench@example.com", full_name="压测", organization=None)
    with transaction.atomic():
        notifications = Notification.objects.bulk_create(
            [Notification(recipient=user, verb="system.message", context={"text": f"#{i}"}) for i in range(MAILS)]
        )
        mail = [
            EffectSpec(
                kind="mail.notification",
                key=f"mail:notification:{n.pk}",
                task="notifications.email",
                kwargs={"notification_id": n.pk},
                queue=Queue.MAIL,
            )
            for n in notifications
        ]
        pdf = [
            EffectSpec(kind="pdf.bench", key=f"pdf:bench:{i}", task=PDF_TASK, kwargs={"value": str(i)}, queue=Queue.PDF)
            for i in range(PDFS)
        ]
        # Recorded without the after-commit publish: the bench publishes them itself, timed.
        Effect.objects.bulk_create(
            [Effect(kind=s.kind, key=s.key, task=s.task, kwargs=s.kwargs, queue=s.queue) for s in mail + pdf]
        )
    return [s.key for s in mail + pdf]


def start_worker(queue: str, concurrency: int) -> subprocess.Popen:
    command = [sys.executable, "-m", "celery", "-A", "delivery", "worker", "-Q", queue, "-n", f"{queue}@bench"]
    command += [f"--concurrency={concurrency}", "--loglevel=WARNING", "--without-gossip", "--without-mingle"]
    return subprocess.Popen(command, cwd=ROOT, env=dict(os.environ), start_new_session=True)


def wait_done(kind: str, count: int, started: float) -> float | None:
    from delivery.enums import EffectState
    from delivery.models import Effect

    while time.monotonic() - started < TIMEOUT:
        if Effect.objects.filter(kind=kind, state=EffectState.DONE).count() >= count:
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def main() -> None:
    maintenance_url, bench_url = server_urls()
    admin_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
    admin_sql(maintenance_url, f'CREATE DATABASE "{BENCH_DATABASE}"')
    workers: list[subprocess.Popen] = []
    try:
        setup_django(bench_url)
        from django.db import connections

        from delivery.effects import effects_dispatch

        keys = record()
        connections.close_all()
        workers = [start_worker("mail", 2), start_worker("pdf", 1)]
        time.sleep(8)  # let both workers connect before the clock starts
        started = time.monotonic()
        result = effects_dispatch(keys)
        dispatch_seconds = time.monotonic() - started
        last_pdf = wait_done("pdf.bench", PDFS, started)
        last_mail = wait_done("mail.notification", MAILS, started)
        print(f"effects published: {result.published} of {len(keys)} (failed {result.failed})")
        print(f"dispatcher: {dispatch_seconds:.1f} s, {result.published / dispatch_seconds:.0f} effects/s")
        print(f"last of {PDFS} PDF effects done: " + (f"{last_pdf:.1f} s" if last_pdf is not None else "timed out"))
        print(f"last of {MAILS} mail effects done: " + (f"{last_mail:.1f} s" if last_mail is not None else "timed out"))
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        from django.db import connections

        connections.close_all()
        admin_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')


if __name__ == "__main__":
    main()
