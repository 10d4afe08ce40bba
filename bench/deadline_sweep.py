"""Benchmark: one deadline sweep costs in proportion to the due deadlines, not to all open ones.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres python bench/deadline_sweep.py

DATABASE_URL names the PostgreSQL server to use; the benchmark creates its own database there
(BENCH_DATABASE, default ``delivery_bench``), migrates it, and drops it at the end. For 10,000 and
then 1,000,000 open deadlines, of which 1,000 are due (BENCH_DUE), it times one sweep. Each due
deadline's effect writes one notification, like a real rule's effect would.
Target: under 2 seconds for the 1,000 due, at both sizes.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
SIZES = [int(size) for size in os.environ.get("BENCH_SIZES", "10000,1000000").split(",")]
DUE = int(os.environ.get("BENCH_DUE", "1000"))
BENCH_DATABASE = os.environ.get("BENCH_DATABASE", "delivery_bench")


def server_urls() -> tuple[str, str]:
    """(maintenance URL, benchmark database URL) on the server DATABASE_URL points to."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("Set DATABASE_URL to a PostgreSQL server, e.g. postgresql://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres")), urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def admin_sql(maintenance_url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(statement)


def setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings.base")
    os.environ["DEBUG"] = "false"  # no query log
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def fill(total: int, due: int, now) -> None:
    """``total`` open deadlines, the first ``due`` of them already due; one INSERT … SELECT."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from accounts.models import Organization

    target_type = ContentType.objects.get_for_model(Organization)
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE deadlines_deadline CASCADE")
        cursor.execute("TRUNCATE notifications_notification")
        cursor.execute(
            """
            INSERT INTO deadlines_deadline (
                target_type_id, target_id, rule, clock, started_at, working_days, due_at, remind_at,
                provisional, basis, status, cancel_reason, created_at)
            SELECT %(type)s, g, 'change_reply', 'working_days', %(now)s - interval '10 days', 5,
                   CASE WHEN g <= %(due)s THEN %(now)s - g * interval '1 second'
                        ELSE %(now)s + interval '30 days' + (g %% 5000) * interval '1 minute' END,
                   CASE WHEN g <= %(due)s THEN NULL ELSE %(now)s + interval '28 days' END,
                   false, '{}'::jsonb, 'open', '', %(now)s
            FROM generate_series(1, %(total)s) AS g
            """,
            {"type": target_type.pk, "now": now, "due": due, "total": total},
        )
        cursor.execute("ANALYZE deadlines_deadline")


def run(total: int, now) -> dict:
    from deadlines.enums import DeadlineStatus
    from deadlines.hooks import registered_codes
    from deadlines.models import Deadline
    from deadlines.services import deadline_sweep

    fill(total, DUE, now)
    claim = (
        Deadline.objects.filter(status=DeadlineStatus.OPEN, due_at__lte=now, rule__in=registered_codes())
        .order_by("due_at", "id")
        .values_list("pk", flat=True)[:500]
    )
    plan = " / ".join(line.split("  (cost")[0].strip(" ->") for line in claim.explain().splitlines())
    started = time.perf_counter()
    result = deadline_sweep(now=now)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    idle = deadline_sweep(now=now)
    idle_seconds = time.perf_counter() - started
    expired = Deadline.objects.filter(status=DeadlineStatus.EXPIRED).count()
    assert (result.applied, result.failed, expired, idle.applied) == (DUE, 0, DUE, 0), (result, expired, idle)
    return {"total": total, "seconds": seconds, "idle": idle_seconds, "plan": plan}


def main() -> None:
    maintenance_url, bench_url = server_urls()
    admin_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')
    admin_sql(maintenance_url, f'CREATE DATABASE "{BENCH_DATABASE}"')
    try:
        setup_django(bench_url)
        from django.contrib.auth import get_user_model
        from django.utils import timezone

        from deadlines.enums import RuleCode
        from deadlines.hooks import register_rule
        from notifications.services import notification_create

        witness = get_user_model().objects.create_user("bench", "bench@example.com")

        def effect(deadline) -> None:
            notification_create(
                recipients=[witness],
                verb="system.message",
                context={"text": f"deadline {deadline.pk} ran out"},
                target=deadline,
                send_email=False,
            )

        register_rule(RuleCode.CHANGE_REPLY, effect=effect)
        now = timezone.now() + timedelta(days=1)
        print(f"deadline sweep benchmark: PostgreSQL, {DUE:,} due per run, effect = one notification each")
        for total in SIZES:
            figures = run(total, now)
            print(
                f"  {figures['total']:>9,} open deadlines, {DUE:,} due: sweep {figures['seconds']:.3f} s "
                f"({DUE / figures['seconds']:,.0f} deadlines/s); "
                f"next sweep with nothing due {figures['idle'] * 1000:.1f} ms"
            )
            print(f"      claim query plan: {figures['plan']}")
        print("  target: under 2 s for the 1,000 due at every size")
    finally:
        from django.db import connections

        connections.close_all()
        admin_sql(maintenance_url, f'DROP DATABASE IF EXISTS "{BENCH_DATABASE}"')


if __name__ == "__main__":
    main()
