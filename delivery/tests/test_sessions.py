"""Sessions live in the cache with the database behind it: no session query per page."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse

pytestmark = pytest.mark.django_db

CACHED_DB = "django.contrib.sessions.backends.cached_db"


def test_development_and_production_keep_sessions_in_the_cache():
    from delivery.settings import base

    assert base.SESSION_ENGINE == CACHED_DB


def test_logged_in_page_reads_the_session_from_the_cache(client, settings, user, django_assert_num_queries):
    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(user)

    # the user only: no session query
    with django_assert_num_queries(1):
        response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard")


def test_session_survives_a_flushed_cache(client, settings, user):
    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(user)
    cache.clear()

    response = client.get(reverse("dashboard"))

    assert response.status_code == 200
    assert Session.objects.count() == 1


def test_ended_session_is_gone_from_the_cache_too(client, settings, user):
    from accounts.sessions import user_sessions_end

    settings.SESSION_ENGINE = CACHED_DB
    client.force_login(user)
    assert client.get(reverse("dashboard")).status_code == 200

    ended = user_sessions_end(user=user, actor=user)

    assert ended == 1
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
