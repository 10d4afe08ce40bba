"""Fixtures shared by every app's tests."""

from __future__ import annotations

import io
import os
import shutil
from collections.abc import Iterator

import pytest
from django.core.management import call_command

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from sealing.sealed import sealed_pdf_bytes
from sealing.tests.samples import SEAL as SAMPLE_SEAL
from sealing.tests.samples import TEMPLATE as SAMPLE_TEMPLATE
from sealing.tests.samples import requirements_context

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Flags this closed network needs: no background calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


@pytest.fixture
def password() -> str:
    return DEFAULT_PASSWORD


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls made by the test
    # itself (factories) are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate limits, cached values and a recorded outage never leak from one test into another."""
    from django.core.cache import cache

    from delivery import effects
    from delivery.cache import cache_reset_outage

    cache_reset_outage()
    effects.broker_backoff_reset()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _empty_media() -> None:
    """Each test starts with no stored files. Ids repeat after a rolled-back test, and the
    write-once storage would otherwise find an earlier test's file under the same name."""
    from django.core.files.storage import InMemoryStorage, storages
    from django.core.files.storage.memory import InMemoryDirNode

    storage = storages["default"]
    if isinstance(storage, InMemoryStorage):
        storage._root = InMemoryDirNode()


def _db_fixture_needed(request) -> str | None:
    marker = request.node.get_closest_marker("django_db")
    names = set(request.fixturenames)
    transactional = "transactional_db" in names or "live_server" in names
    if marker is not None:
        return "transactional_db" if transactional or marker.kwargs.get("transaction") else "db"
    if transactional:
        return "transactional_db"
    return "db" if "db" in names else None


def _reference_data_ensure() -> None:
    """Reference rows seeded by data migrations (deliverable types, the official calendar)."""

    from deadlines.calendar import calendar_invalidate
    from deadlines.models import CalendarYear
    from documents.catalogue import deliverable_types_seed
    from documents.models import DeliverableType

    if not DeliverableType.objects.exists():
        deliverable_types_seed()
    if not CalendarYear.objects.exists():
        call_command("calendar_seed", stdout=io.StringIO())
    calendar_invalidate()


@pytest.fixture(autouse=True)
def _reference_data(request) -> None:
    """Transactional tests (browser, concurrency) flush every table when they end, seeded
    reference data included: put it back for whichever database test comes next."""
    kind = _db_fixture_needed(request)
    if kind is not None:
        request.getfixturevalue(kind)
        _reference_data_ensure()


# --- Signing: a throw-away organisation certificate for tests that sign PDFs ------------------


@pytest.fixture(scope="session")
def signing_settings(tmp_path_factory):
    path = tmp_path_factory.mktemp("signing") / "organization.p12"
    return {"SIGNING_PKCS12_PATH": str(path)}


@pytest.fixture
def certificate(settings, signing_settings, db):
    for key, value in signing_settings.items():
        setattr(settings, key, value)
    call_command("signing_cert", "create", "--organization", "华信交付科技有限公司", stdout=open("/dev/null", "w"))
    return signing_settings["SIGNING_PKCS12_PATH"]


@pytest.fixture
def signed_pdf(certificate, tmp_path):
    """A real sealed requirements confirmation of 12 items (WeasyPrint + pyHanko), as a file."""
    signed = sealed_pdf_bytes(template_name=SAMPLE_TEMPLATE, context=requirements_context(items=12), seal=SAMPLE_SEAL)
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    return path
