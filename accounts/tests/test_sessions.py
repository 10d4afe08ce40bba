"""Sessions: idle lifetime, other sessions end on a password change, admins see and end them."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SecurityEventKind
from accounts.models import SecurityEvent, UserSession
from accounts.tests.factories import DEFAULT_PASSWORD, AdminUserFactory

pytestmark = pytest.mark.django_db


def _signed_in(client, user, ip: str = "198.51.100.7") -> Client:
    response = client.post(reverse("login"), {"username": user.username, "password": DEFAULT_PASSWORD}, REMOTE_ADDR=ip)
    assert response.status_code == 302
    return client


def _is_signed_in(client) -> bool:
    return client.get(reverse("dashboard")).status_code == 200


def test_sign_in_records_the_session_with_the_client_address(client, user, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]

    client.post(
        reverse("login"),
        {"username": user.username, "password": DEFAULT_PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        HTTP_USER_AGENT="Mozilla/5.0 测试",
    )

    session = UserSession.objects.get()
    assert (session.user, session.ip_address, session.user_agent) == (user, "198.51.100.7", "Mozilla/5.0 测试")
    assert session.session_id == client.session.session_key


def test_password_change_signs_out_other_sessions_only(user):
    laptop, phone = _signed_in(Client(), user), _signed_in(Client(), user)

    response = laptop.post(
        reverse("password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "Brand-New-Pass-42", "new_password2": "Brand-New-Pass-42"},
    )

    assert response.status_code == 302
    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)
    assert list(UserSession.objects.values_list("session_id", flat=True)) == [laptop.session.session_key]


def test_wrong_old_password_ends_no_session(user):
    laptop, phone = _signed_in(Client(), user), _signed_in(Client(), user)

    laptop.post(
        reverse("password_change"),
        {"old_password": "wrong", "new_password1": "Brand-New-Pass-42", "new_password2": "Brand-New-Pass-42"},
    )

    assert _is_signed_in(phone)
    assert UserSession.objects.count() == 2


def test_session_ends_after_the_idle_lifetime(client, user):
    _signed_in(client, user)
    start = timezone.now()

    with time_machine.travel(start + timedelta(hours=11)):
        assert _is_signed_in(client)  # activity pushes the end forward
    with time_machine.travel(start + timedelta(hours=22)):
        assert _is_signed_in(client)
    with time_machine.travel(start + timedelta(hours=34, minutes=1)):
        assert not _is_signed_in(client)


def test_idle_lifetime_follows_the_setting(client, user, settings):
    settings.SESSION_COOKIE_AGE = 60 * 60
    _signed_in(client, user)

    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert not _is_signed_in(client)


def test_admin_sees_a_persons_sessions(client, user):
    _signed_in(Client(), user, ip="198.51.100.7")
    client.force_login(AdminUserFactory())

    response = client.get(reverse("admin:auth_user_change", args=[user.pk]))

    assert response.status_code == 200
    assert "198.51.100.7" in response.content.decode()


def test_admin_ends_a_persons_sessions(client, user):
    browser = _signed_in(Client(), user)
    admin = AdminUserFactory()
    client.force_login(admin)

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "end_sessions", "_selected_action": [user.pk]},
        REMOTE_ADDR="198.51.100.9",
    )

    assert response.status_code == 302
    assert not _is_signed_in(browser)
    assert UserSession.objects.filter(user=user).count() == 0
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.actor, event.ip_address) == (
        SecurityEventKind.SESSIONS_ENDED,
        user,
        admin,
        "198.51.100.9",
    )


def test_admin_ends_one_session_from_the_session_list(client, user):
    laptop, phone = _signed_in(Client(), user), _signed_in(Client(), user)
    client.force_login(AdminUserFactory())

    client.post(
        reverse("admin:accounts_usersession_changelist"),
        {"action": "end_selected", "_selected_action": [phone.session.session_key]},
    )

    assert _is_signed_in(laptop)
    assert not _is_signed_in(phone)


def test_sign_out_removes_the_session_record(client, user):
    _signed_in(client, user)

    client.post(reverse("logout"))

    assert UserSession.objects.count() == 0


def test_non_staff_cannot_reach_the_session_admin(client, user):
    client.force_login(user)

    response = client.get(reverse("admin:accounts_usersession_changelist"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_password_set_through_the_reset_link_signs_out_every_session(client, user):
    import re

    from django.core import mail

    browser = _signed_in(Client(), user)
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    set_password_url = client.get(link, follow=True).redirect_chain[-1][0]

    done = client.post(set_password_url, {"new_password1": "Brand-New-Pass-42", "new_password2": "Brand-New-Pass-42"})

    assert done.status_code == 302
    assert not _is_signed_in(browser)
    assert UserSession.objects.count() == 0
