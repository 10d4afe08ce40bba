from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_sends_anonymous_user_to_login(client):
    response = client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("login")


def test_home_sends_logged_in_user_to_dashboard(client, user):
    client.force_login(user)

    response = client.get("/")

    assert response.status_code == 302
    assert response.url == reverse("dashboard")


def test_dashboard_requires_login(client):
    response = client.get(reverse("dashboard"))

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next=/dashboard/"


def test_login_with_correct_password_reaches_dashboard(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password}, follow=True)

    assert response.redirect_chain == [(reverse("dashboard"), 302)]
    assert response.context["user"] == user
    assert user.first_name in response.content.decode()


def test_login_with_wrong_password_shows_translated_error(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "wrong"})

    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_requires_post_and_ends_session(client, user):
    client.force_login(user)

    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_password_change_with_wrong_old_password_changes_nothing(client, user, password):
    client.force_login(user)

    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "Another-Pass-77", "new_password2": "Another-Pass-77"},
    )

    assert response.status_code == 200
    assert "你的旧密码不正确" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)


def test_password_reset_flow_sets_new_password(client, user):
    response = client.post(reverse("password_reset"), {"email": user.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert mail.outbox[0].to == [user.email]
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", body).group(1)

    form_page = client.get(link, follow=True)
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(set_password_url, {"new_password1": "Brand-New-Pass-42", "new_password2": "Brand-New-Pass-42"})

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password("Brand-New-Pass-42")
    # The link works once only.
    reused = client.get(link, follow=True)
    assert "此链接无效或已被使用" in reused.content.decode()


def test_password_reset_for_unknown_address_sends_nothing(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert response.status_code == 302
    assert mail.outbox == []
