"""Sign-in lockout (django-axes): per account and per client address, cool-off, admin unlock."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD, AdminUserFactory, UserFactory

pytestmark = pytest.mark.django_db

LOCKED = "登录失败次数过多"


def _login(client, username: str, password: str, ip: str = "198.51.100.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username: str, times: int, ip: str = "198.51.100.7") -> list[int]:
    return [_login(client, username, "wrong", ip).status_code for _ in range(times)]


def test_fifth_wrong_password_locks_and_the_right_one_is_refused(client, user):
    assert _fail(client, user.username, 4) == [200] * 4

    fifth = _login(client, user.username, "wrong")
    right = _login(client, user.username, DEFAULT_PASSWORD)

    assert fifth.status_code == 429
    assert right.status_code == 429
    assert LOCKED in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_answer_is_the_same_for_an_unknown_account(client, user):
    _fail(client, user.username, 5, ip="198.51.100.7")
    _fail(client, "nobody-here", 5, ip="198.51.100.8")

    known = _login(client, user.username, "x", ip="198.51.100.7")
    unknown = _login(client, "nobody-here", "x", ip="198.51.100.8")

    assert (known.status_code, unknown.status_code) == (429, 429)
    assert _page(known, user.username) == _page(unknown, "nobody-here")


def _page(response, username: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="\w+"', "", response.content.decode().replace(username, ""))


def test_account_stays_locked_from_another_address(client, user):
    _fail(client, user.username, 5, ip="198.51.100.7")

    assert _login(client, user.username, DEFAULT_PASSWORD, ip="203.0.113.9").status_code == 429


def test_one_address_trying_many_accounts_is_locked_out(client):
    users = [UserFactory() for _ in range(6)]
    for victim in users[:5]:
        _fail(client, victim.username, 1)

    assert _login(client, users[5].username, DEFAULT_PASSWORD).status_code == 429
    assert _login(client, users[5].username, DEFAULT_PASSWORD, ip="203.0.113.9").status_code == 302


def test_lockout_ends_after_the_cool_off(client, user):
    _fail(client, user.username, 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        response = _login(client, user.username, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_still_locked_just_before_the_cool_off_ends(client, user):
    _fail(client, user.username, 5)

    with time_machine.travel(timezone.now() + timedelta(minutes=14)):
        assert _login(client, user.username, DEFAULT_PASSWORD).status_code == 429


def test_admin_unlocks_by_deleting_the_attempt(client, user):
    _fail(client, user.username, 5)
    attempt = AccessAttempt.objects.get(username=user.username)
    admin_client = client.__class__()
    admin_client.force_login(AdminUserFactory())

    response = admin_client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert AccessAttempt.objects.count() == 0
    assert _login(client, user.username, DEFAULT_PASSWORD).status_code == 302


def test_failed_attempts_are_recorded_with_the_client_address_behind_the_proxy(client, user, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    client.post(
        reverse("login"),
        {"username": user.username, "password": "wrong"},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )

    assert list(AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")) == [
        (user.username, "198.51.100.7", 1)
    ]


def test_success_clears_earlier_failures(client, user):
    _fail(client, user.username, 4)

    assert _login(client, user.username, DEFAULT_PASSWORD).status_code == 302
    assert AccessAttempt.objects.filter(username=user.username).count() == 0


def test_the_admin_names_sign_in_protection_in_chinese_and_accounts_keeps_its_own_configuration(client):
    client.force_login(AdminUserFactory())

    page = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "登录保护" in page
    assert "登录尝试" in page
    assert "Access attempts" not in page
    assert "账户与组织" in page
