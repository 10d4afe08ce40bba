"""Password reset cannot flood a mailbox, and never tells whether an address has an account."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _ask(client, email: str, ip: str = "198.51.100.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


def test_sixteen_requests_for_one_address_send_three_mails(client, user):
    responses = [_ask(client, user.email, ip=f"198.51.100.{n}") for n in range(16)]

    assert {(r.status_code, r.url) for r in responses} == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3
    assert {m.to[0] for m in mail.outbox} == {user.email}


def test_the_limit_ignores_case_and_spaces(client, user):
    for variant in [user.email, user.email.upper(), f" {user.email} ", user.email]:
        _ask(client, variant)

    assert len(mail.outbox) == 3


def test_mails_resume_an_hour_after_the_first(client, user):
    for _ in range(4):
        _ask(client, user.email)

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        _ask(client, user.email)

    assert len(mail.outbox) == 4


def test_one_client_address_is_limited_across_addresses(client):
    users = [UserFactory() for _ in range(11)]

    responses = [_ask(client, u.email) for u in users]

    assert {r.status_code for r in responses} == {302}
    assert len(mail.outbox) == 10
    assert _ask(client, users[10].email, ip="203.0.113.9").status_code == 302
    assert len(mail.outbox) == 11


def test_unknown_and_known_addresses_get_the_same_answer(client, user):
    known = _ask(client, user.email)
    unknown = _ask(client, "nobody@example.com")

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mail.outbox) == 1
