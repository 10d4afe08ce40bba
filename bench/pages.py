"""Server time and queries of every main page with 1,000 projects, beside the floor.

Creates its own PostgreSQL database (``BENCH_DATABASE_URL``, by default
postgresql://postgres@127.0.0.1:5432/delivery_bench_pages), migrates it, seeds the projects with
``seed_bench`` (plus three change letters per project and a project plan for one), and times each
page through Django's test client in this process (no network, no browser: the time the server
spends), as production runs it: DEBUG off, persistent database connections, sessions in the cache
(Redis when ``REDIS_URL`` is set, as in production). The **floor** is a bare logged-in view behind
the same middleware (session, user, CSRF, security headers): what any page costs before it does its
own work. Each page is timed twice per round: **served again** (asked again while the data is
unchanged: production keeps read pages keyed on the database's state, delivery/pagecache.py) and
**drawn** (as the first request after any write answers it). For each it prints the median (p50)
and 95th percentile in milliseconds, the p50 as a multiple of the floor's, and the number of
queries; a page served over 4× the floor or over 15 queries is flagged. Drops the database.

    .venv/bin/python bench/pages.py [--projects 1000] [--requests 60]
"""

from __future__ import annotations

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/delivery_bench_pages"
WARM_UP = 5
FLOOR_PATH = "/bench/floor/"
TARGET_RATIO = 4.0
TARGET_QUERIES = 15
# Served: as production answers a page asked again while the data is unchanged (kept for
# PAGE_CACHE_SECONDS, delivery/pagecache.py); drawn: as it answers the first time after any write.
MODES = {"served": 60, "drawn": 0}


def _server_url(url: str) -> tuple[str, str]:
    """The maintenance database's URL on the same server, and the bench database's name."""
    parts = urlparse(url)
    return urlunparse(parts._replace(path="/postgres")), parts.path.lstrip("/")


def _create_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = _server_url(url)
    with psycopg.connect(server, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            sys.exit(f"Database {name} already exists: drop it, or point BENCH_DATABASE_URL elsewhere.")
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    server, name = _server_url(url)
    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


# --- The floor: a bare view behind the same middleware and URL resolution ---------------------


def _floor_view(request):
    from django.http import HttpResponse

    if not request.user.is_authenticated:  # loads the session and the user, as every page does
        return HttpResponse(status=403)
    return HttpResponse("ok")


def _install_floor() -> None:
    import types

    from django.conf import settings
    from django.urls import include, path

    module = types.ModuleType("bench_urls")
    module.urlpatterns = [path(FLOOR_PATH.strip("/") + "/", _floor_view), path("", include("delivery.urls"))]
    sys.modules["bench_urls"] = module
    settings.ROOT_URLCONF = "bench_urls"


# --- Data -----------------------------------------------------------------------------------


def _seed_changes() -> None:
    """Three letters per project, received over the last months: the all-changes list sorts them."""
    from django.utils import timezone

    from changes.enums import ChangeKind, ChangeState
    from changes.models import ChangeRequest
    from projects.enums import Side
    from projects.models import Project

    shapes = [
        (ChangeKind.CUSTOMER_REASONS, ChangeState.SUBMITTED, Side.CUSTOMER),
        (ChangeKind.VENDOR_INITIATED, ChangeState.IN_NEGOTIATION, Side.VENDOR),
        (ChangeKind.VENDOR_AT_FAULT, ChangeState.ACCEPTED, Side.CUSTOMER),
    ]
    now = timezone.now()
    projects = Project.objects.filter(code__startswith="BENCH-").order_by("code")
    ChangeRequest.objects.bulk_create(
        [
            ChangeRequest(
                project=project,
                number=number,
                kind=kind,
                state=state,
                initiating_side=side,
                initiated_by_id=project.customer_lead_id if side == Side.CUSTOMER else project.vendor_pm_id,
                title=f"变更{number}：增加单点登录接口",
                reason="业务部门提出新需求。",
                requirements_change="增加与统一身份认证平台的单点登录。",
                received_at=now - datetime.timedelta(hours=7 * index + 31 * number),
                letter_sha256="0" * 64,
            )
            for index, project in enumerate(projects)
            for number, (kind, state, side) in enumerate(shapes, start=1)
        ],
        batch_size=500,
    )


def _seed_plan(project) -> str:
    """A project plan draft (with its Gantt chart) in the PM's project, made by the services."""
    from django.utils import timezone

    from delivery.audit import RequestMeta
    from documents.demo import _plan
    from documents.enums import DeliverableCode
    from documents.services import deliverable_get_or_create, version_draft_create

    plan = deliverable_get_or_create(project=project, code=DeliverableCode.PROJECT_PLAN)
    version_draft_create(
        deliverable=plan, user=project.vendor_pm, meta=RequestMeta(), content=_plan(timezone.localdate(), 0)
    )
    return DeliverableCode.PROJECT_PLAN


# --- Timing ---------------------------------------------------------------------------------


def _count_queries(client, path: str) -> int:
    from django.db import connection

    queries = []
    # Counted around the cursor: the request may close and reopen the connection.
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        assert client.get(path).status_code == 200, path
    return len(queries)


def _time(pages: list[tuple[str, object, str]], requests: int) -> dict[tuple[str, str], list[float]]:
    """Each page once per round, served and drawn, rounds repeated: a busy moment of the machine
    hits every page alike instead of the one that happened to be measured then."""
    from django.conf import settings

    timings: dict[tuple[str, str], list[float]] = {}
    for _ in range(requests):
        for label, client, path in pages:
            for mode, seconds in MODES.items():
                settings.PAGE_CACHE_SECONDS = seconds
                started = time.perf_counter()
                response = client.get(path)
                timings.setdefault((label, mode), []).append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, path
    return timings


def _pages(project_code: str, plan_code: str) -> list[tuple[str, str, bool]]:
    """(label, path, logged in) of every page measured."""
    from django.urls import reverse

    year = datetime.date.today().year
    return [
        ("floor (bare view)", FLOOR_PATH, True),
        ("login", reverse("login"), False),
        ("dashboard", reverse("dashboard"), True),
        ("project list", reverse("projects:list"), True),
        ("project list, overdue", reverse("projects:list") + "?overdue=on&page=3", True),
        ("project overview", reverse("projects:detail", args=[project_code]), True),
        ("project changes", reverse("changes:list", args=[project_code]), True),
        ("all changes", reverse("changes:mine"), True),
        ("deliverable version", reverse("documents:version", args=[project_code, plan_code, 1]), True),
        ("calendar year", reverse("deadlines:calendar_year", args=[year]), True),
    ]


def _measure(projects: int, requests: int) -> None:
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected here
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from projects.models import Project

    _install_floor()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_bench", projects=projects, stdout=open(os.devnull, "w"))  # noqa: SIM115
    _seed_changes()
    # A vendor manager (sees all projects) who is the PM of one project in 20.
    pm = get_user_model().objects.get(username="bench_v000")
    codes = list(Project.objects.filter(vendor_pm=pm).order_by("code").values_list("code", flat=True))
    project_code = codes[len(codes) // 2]
    plan_code = _seed_plan(Project.objects.get(code=project_code))
    seeded = time.perf_counter() - started
    connection.cursor().execute("ANALYZE")

    member, anonymous = Client(), Client()
    member.force_login(pm)
    print(f"{Project.objects.count()} projects seeded in {seeded:.1f} s; {requests} requests per page.")
    pages = [
        (label, member if logged_in else anonymous, path) for label, path, logged_in in _pages(project_code, plan_code)
    ]
    from django.conf import settings

    for _ in range(WARM_UP):
        for _label, client, path in pages:
            assert client.get(path).status_code == 200, path
    queries = {}
    for mode, seconds in MODES.items():
        settings.PAGE_CACHE_SECONDS = seconds
        for label, client, path in pages:
            queries[label, mode] = _count_queries(client, path)
    timings = _time(pages, requests)
    # The floor is timed in both passes; the lower median is taken (the stricter ratio).
    floor = min(statistics.median(timings[pages[0][0], mode]) for mode in MODES)
    print(f"{'':<24}{'--------- served again ---------':>36}{'------------ drawn -------------':>36}")
    print(f"{'page':<24}" + f"{'p50 ms':>9}{'p95 ms':>9}{'× floor':>9}{'queries':>9}" * 2)
    for label, _client, _path in pages:
        row, flag = f"{label:<24}", ""
        for mode in MODES:
            p50 = statistics.median(timings[label, mode])
            p95 = statistics.quantiles(timings[label, mode], n=20)[18]
            ratio = p50 / floor
            row += f"{p50:>9.1f}{p95:>9.1f}{ratio:>9.1f}{queries[label, mode]:>9}"
            if mode == "served" and (ratio > TARGET_RATIO or queries[label, mode] > TARGET_QUERIES):
                flag = "  over target"
        print(row + flag)
    print(f"target: every page ≤ {TARGET_RATIO:g}× the floor's p50 and ≤ {TARGET_QUERIES} queries")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    # As in production: cached templates, no query log, persistent connections.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("CONN_MAX_AGE", "60")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "delivery.settings.base")
    _create_database(url)
    try:
        _measure(args.projects, args.requests)
    finally:
        from django.db import connections

        connections.close_all()
        _drop_database(url)


if __name__ == "__main__":
    main()
