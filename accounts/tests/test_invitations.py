"""Invitations: a one-time, 7-day link for a person whose account someone else created."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.services import token_hash, user_invite
from accounts.tasks import invitation_send_task
from accounts.tests.factories import OrganizationFactory, VendorUserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Lake-Bridge-2026"


def _invite(django_capture_on_commit_callbacks, email: str = "li.jing@customer.example"):
    with django_capture_on_commit_callbacks(execute=True):
        user = user_invite(
            email=email,
            full_name="李静",
            organization=OrganizationFactory(name="江南制造集团股份有限公司"),
            invited_by=VendorUserFactory(first_name="王建国"),
            position="信息中心主任",
        )
    link = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitation/[\w-]+/)", mail.outbox[-1].body).group(1)
    return user, link


def test_invitation_email_in_chinese_with_a_one_time_link(django_capture_on_commit_callbacks):
    user, link = _invite(django_capture_on_commit_callbacks)

    message = mail.outbox[0]
    invitation = Invitation.objects.get(user=user)
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert message.to == ["li.jing@customer.example"]
    assert message.subject == "[交付项目管理] 请设置您新账户的密码"
    assert "王建国已在交付项目管理中为您创建了账户" in message.body
    assert "您的用户名：li.jing@customer.example" in message.body
    expires = timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M")
    assert f"该链接只能使用一次，将于 {expires}（北京时间）过期。" in message.body
    # Only the hash is stored.
    assert invitation.token_hash == token_hash(token)
    assert token not in invitation.token_hash
    assert user.has_usable_password() is False


def test_invitation_task_sends_once(django_capture_on_commit_callbacks):
    user, _link = _invite(django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(user=user)

    assert invitation_send_task(invitation_id=invitation.pk) is False

    assert len(mail.outbox) == 1


def test_invitation_link_sets_the_password_and_logs_in(client, django_capture_on_commit_callbacks):
    user, link = _invite(django_capture_on_commit_callbacks)

    page = client.get(link)
    response = client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert page.status_code == 200
    assert "欢迎，李静。您的用户名是 li.jing@customer.example。" in page.content.decode()
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Invitation.objects.get(user=user).used_at is not None


def test_invitation_link_works_once(client, django_capture_on_commit_callbacks):
    _user, link = _invite(django_capture_on_commit_callbacks)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    client.logout()

    response = client.get(link)

    assert response.status_code == 410
    assert "此邀请链接已被使用。" in response.content.decode()
    assert reverse("password_reset") in response.content.decode()


def test_invitation_with_a_weak_password_shows_errors_and_changes_nothing(client, django_capture_on_commit_callbacks):
    user, link = _invite(django_capture_on_commit_callbacks)

    response = client.post(link, {"new_password1": "12345678", "new_password2": "12345678"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["这个密码太常见了。", "密码只包含数字。"]
    user.refresh_from_db()
    assert user.has_usable_password() is False
    assert Invitation.objects.get(user=user).used_at is None


def test_invitation_with_a_short_password_says_so_in_chinese(client, django_capture_on_commit_callbacks):
    user, link = _invite(django_capture_on_commit_callbacks)

    response = client.post(link, {"new_password1": "Qz-7x", "new_password2": "Qz-7x"})

    assert response.status_code == 200
    assert response.context["form"].errors["new_password2"] == ["密码太短，至少需要 8 个字符。"]
    user.refresh_from_db()
    assert user.has_usable_password() is False


def test_expired_invitation_says_so_and_sends_a_new_link(client, django_capture_on_commit_callbacks):
    user, link = _invite(django_capture_on_commit_callbacks)
    Invitation.objects.filter(user=user).update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    page = client.get(link)
    with django_capture_on_commit_callbacks(execute=True):
        renewed = client.post(f"{link}renew/")

    assert page.status_code == 410
    assert "此邀请链接已过期：链接的有效期为 7 天。" in page.content.decode()
    assert "新的链接已发送到您账户的电子邮箱，7 天内有效。" in renewed.content.decode()
    assert len(mail.outbox) == 2
    new_link = re.search(r"http://127\.0\.0\.1:8000(/accounts/invitation/[\w-]+/)", mail.outbox[1].body).group(1)
    assert new_link != link
    assert client.get(new_link).status_code == 200
    # The expired link cannot be renewed twice while the new one is valid.
    again = client.post(f"{link}renew/")
    assert "未发送新链接" in again.content.decode()
    assert len(mail.outbox) == 2


def test_invitation_expires_after_seven_days(client, django_capture_on_commit_callbacks):
    user, link = _invite(django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(user=user)

    assert invitation.is_expired(invitation.sent_at + datetime.timedelta(days=7)) is True
    assert invitation.is_expired(invitation.sent_at + datetime.timedelta(days=6, hours=23)) is False


def test_unknown_invitation_link_says_it_is_not_valid(client):
    response = client.get(reverse("accounts:invitation_accept", args=["not-a-real-token"]))

    assert response.status_code == 410
    assert "此邀请链接无效。" in response.content.decode()


def test_invite_refuses_an_address_that_has_an_account(django_capture_on_commit_callbacks):
    from django.core.exceptions import ValidationError

    VendorUserFactory(email="taken@example.com")

    with pytest.raises(ValidationError) as refused:
        user_invite(email="Taken@example.com", full_name="张三", organization=OrganizationFactory(), invited_by=None)

    assert refused.value.message_dict == {"email": ["使用此电子邮箱的人员已有账户。"]}
    assert Invitation.objects.count() == 0
