"""Server time of the dashboard, the project list and a project page with 1,000 projects.

Creates its own PostgreSQL database (``BENCH_DATABASE_URL``, by default
postgresql://postgres@127.0.0.1:5432/delivery_bench_pages), migrates it, seeds the projects with
``seed_bench``, times each page through Django's test client (no network, no browser: the time
the server spends), prints the median and 95th percentile in milliseconds, and drops the database.

    .venv/bin/python bench/pages.py [--projects 1000] [--requests 60]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/delivery_bench_pages"
WARM_UP = 5


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


def _time(client, path: str, requests: int) -> list[float]:
    for _ in range(WARM_UP):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return timings


def _measure(projects: int, requests: int) -> None:
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from projects.models import Project

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("seed_bench", projects=projects, stdout=open(os.devnull, "w"))  # noqa: SIM115
    seeded = time.perf_counter() - started
    connection.cursor().execute("ANALYZE")

    # A vendor manager (sees all projects) who is the PM of one project in 20.
    pm = get_user_model().objects.get(username="bench_v000")
    codes = list(Project.objects.filter(vendor_pm=pm).order_by("code").values_list("code", flat=True))
    project_code = codes[len(codes) // 2]
    client = Client()
    client.force_login(pm)
    pages = [
        ("dashboard", reverse("dashboard")),
        ("project list", reverse("projects:list")),
        ("project list, overdue", reverse("projects:list") + "?overdue=on&page=3"),
        ("project page", reverse("projects:detail", args=[project_code])),
    ]
    print(f"{Project.objects.count()} projects seeded in {seeded:.1f} s; {requests} requests per page.")
    print(f"{'page':<24}{'median ms':>10}{'p95 ms':>10}")
    for label, path in pages:
        timings = _time(client, path, requests)
        p95 = statistics.quantiles(timings, n=20)[18]
        print(f"{label:<24}{statistics.median(timings):>10.1f}{p95:>10.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)

    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # as in production: cached templates, no query log
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
