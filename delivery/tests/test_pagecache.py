"""Read pages kept while the database is unchanged: served again, never to the wrong person, never
stale after a write, whichever way the write was made."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from accounts.tests.factories import VendorUserFactory, make_vendor_manager
from delivery.pagecache import database_state
from projects.enums import MemberRole
from projects.models import Project, ProjectMember, Risk
from projects.tests.factories import ProjectFactory, ProjectMemberFactory

ON_POSTGRESQL = connection.vendor == "postgresql"
pytestmark = pytest.mark.django_db(transaction=True)
postgresql_only = pytest.mark.skipif(not ON_POSTGRESQL, reason="pages are kept only where the database names its state")

# A page served from the cache asks the database three things: the session, the user, its state.
SERVED_QUERIES = 3


@pytest.fixture(autouse=True)
def _keeping(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()


def _browser(user, **kwargs) -> Client:
    """A signed-in browser that has been here before: it carries its CSRF cookie."""
    client = Client(**kwargs)
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200
    return client


def _kept(user, url: str, **kwargs) -> Client:
    """A browser of ``user`` for which the page at ``url`` is kept (drawn and kept, then served)."""
    browser = _browser(user, **kwargs)
    browser.get(url)
    browser.get(url)
    return browser


def _risk(project: Project) -> dict:
    return {
        "description": "客户机房改造可能延期",
        "probability": "medium",
        "impact": "high",
        "owner": project.vendor_pm.pk,
        "response": "每周跟进机房进度",
        "status": "open",
    }


@postgresql_only
def test_a_page_is_served_again_until_any_write_even_one_no_service_made(django_assert_num_queries):
    project = ProjectFactory(name="邮件系统升级项目")
    browser = _browser(project.vendor_pm)
    url = reverse("projects:detail", args=[project.code])
    drawn = browser.get(url)

    with django_assert_num_queries(SERVED_QUERIES):
        served = browser.get(url)

    assert served.status_code == 200
    assert served.content == drawn.content
    assert served["Content-Type"] == "text/html; charset=utf-8"
    Project.objects.filter(pk=project.pk).update(name="邮件系统迁移项目")  # no signal, no service
    after = browser.get(url)
    assert "邮件系统迁移项目" in after.content.decode()
    assert "邮件系统升级项目" not in after.content.decode()


@postgresql_only
def test_a_kept_page_is_never_served_to_another_person():
    project = ProjectFactory()
    url = reverse("projects:detail", args=[project.code])
    pm = _kept(project.vendor_pm, url)

    outsider = _browser(VendorUserFactory())
    lead = _browser(project.customer_lead)

    assert outsider.get(url).status_code == 404
    page = lead.get(url)
    assert page.status_code == 200
    assert page.content != pm.get(url).content


@postgresql_only
def test_losing_access_refuses_at_once():
    project = ProjectFactory()
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER)
    browser = _browser(engineer.user)
    url = reverse("projects:detail", args=[project.code])
    assert browser.get(url).status_code == 200
    assert browser.get(url).status_code == 200

    ProjectMember.objects.filter(pk=engineer.pk).delete()

    assert browser.get(url).status_code == 404


@postgresql_only
def test_a_page_with_a_message_waiting_shows_it_once_and_is_not_kept_with_it():
    project = ProjectFactory()
    url = reverse("projects:risks", args=[project.code])
    browser = _kept(project.vendor_pm, url)

    assert browser.post(reverse("projects:risk_add", args=[project.code]), _risk(project)).status_code == 302
    with_message = browser.get(url).content.decode()
    again = browser.get(url).content.decode()

    assert "风险已登记。" in with_message
    assert "风险已登记。" not in again
    assert "客户机房改造可能延期" in again


@postgresql_only
def test_a_form_in_a_served_page_posts_from_the_browser_that_got_it_and_each_browser_has_its_own():
    project = ProjectFactory()
    url = reverse("projects:risk_add", args=[project.code])
    first = _browser(project.vendor_pm, enforce_csrf_checks=True)
    second = _browser(project.vendor_pm, enforce_csrf_checks=True)
    risks = reverse("projects:risks", args=[project.code])
    first.get(risks)
    served = first.get(risks).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', served).group(1)
    other = second.get(risks).content.decode()

    assert first.post(url, {**_risk(project), "csrfmiddlewaretoken": token}).status_code == 302
    assert second.post(url, {**_risk(project), "csrfmiddlewaretoken": token}).status_code == 403
    assert token not in other
    assert Risk.objects.filter(project=project).count() == 1


@postgresql_only
def test_the_address_with_its_query_and_the_language_are_part_of_the_key():
    ProjectFactory(name="邮件系统升级项目")
    ProjectFactory(name="门户网站改版项目")
    manager = VendorUserFactory()
    make_vendor_manager(manager)
    url = reverse("projects:list")
    browser = _kept(manager, url)

    found = browser.get(url, {"q": "门户"}).content.decode()
    browser.cookies.load({"django_language": "en"})
    english = browser.get(url).content.decode()

    assert "门户网站改版项目" in found
    assert "邮件系统升级项目" not in found
    assert '<html lang="en"' in english


@postgresql_only
def test_nothing_is_kept_in_a_transaction_that_has_written():
    ProjectFactory()
    assert database_state() is not None

    with transaction.atomic():
        Project.objects.update(name="改名")
        assert database_state() is None


@postgresql_only
def test_the_first_visit_of_a_browser_without_its_csrf_cookie_is_drawn(django_assert_num_queries):
    project = ProjectFactory()
    browser = Client()
    browser.force_login(project.vendor_pm)
    url = reverse("projects:detail", args=[project.code])
    browser.get(url)  # no CSRF cookie yet: drawn, not kept; the answer sets the cookie
    browser.get(url)  # drawn and kept

    with django_assert_num_queries(SERVED_QUERIES):
        assert browser.get(url).status_code == 200


@postgresql_only
def test_keeping_off_draws_every_time(settings):
    settings.PAGE_CACHE_SECONDS = 0
    project = ProjectFactory()
    url = reverse("projects:detail", args=[project.code])
    _kept(project.vendor_pm, url)

    assert not [key for key in cache._cache if ":page:" in key]  # locmem: nothing was kept


@pytest.mark.skipif(ON_POSTGRESQL, reason="SQLite only")
def test_sqlite_names_no_state_and_every_page_is_drawn():
    project = ProjectFactory()
    url = reverse("projects:detail", args=[project.code])
    _kept(project.vendor_pm, url)

    assert database_state() is None
    assert not [key for key in cache._cache if ":page:" in key]
