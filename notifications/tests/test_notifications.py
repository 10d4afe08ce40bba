from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from notifications.models import Notification
from notifications.services import notification_create
from notifications.tasks import notification_email_task

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db


def test_notification_create_records_and_emails_after_commit(django_capture_on_commit_callbacks):
    alice = UserFactory(email="alice@example.com")
    bob = UserFactory(email="")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = notification_create(
            recipients=[alice, bob, alice], verb="system.message", context={"text": "计划已更新"}, url="/dashboard/"
        )
    assert len(created) == 2
    assert mail.outbox == []  # nothing leaves before commit
    assert len(callbacks) == 1  # bob has no address

    callbacks[0]()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["alice@example.com"]
    assert message.subject == "[交付项目管理] 计划已更新"
    assert "计划已更新" in message.body
    assert "http://127.0.0.1:8000/dashboard/" in message.body
    assert Notification.objects.get(recipient=alice).emailed_at is not None


def test_notification_email_task_runs_once(django_capture_on_commit_callbacks):
    notification = NotificationFactory(recipient=UserFactory(email="x@example.com"))

    assert notification_email_task(notification_id=notification.pk) is True
    assert notification_email_task(notification_id=notification.pk) is False

    assert len(mail.outbox) == 1


def test_notification_create_rejects_secret_context():
    user = UserFactory()

    with pytest.raises(ValueError, match="looks like a secret"):
        notification_create(recipients=[user], verb="system.message", context={"text": "x", "password": "123"})

    assert Notification.objects.count() == 0


def test_notification_create_rejects_unknown_verb():
    with pytest.raises(ValueError, match="Unknown notification verb"):
        notification_create(recipients=[UserFactory()], verb="nope")

    assert Notification.objects.count() == 0


def test_notification_list_shows_own_only_with_unread_count(client):
    me = UserFactory()
    NotificationFactory(recipient=me, context={"text": "我的消息"})
    NotificationFactory(recipient=UserFactory(), context={"text": "别人的消息"})
    client.force_login(me)

    response = client.get(reverse("notifications:list"))

    html = response.content.decode()
    assert "我的消息" in html
    assert "别人的消息" not in html
    assert response.context["unread_notification_count"] == 1


@pytest.mark.parametrize("count", [1, 20])
def test_notification_list_query_count_is_constant(client, django_assert_num_queries, count):
    me = UserFactory()
    NotificationFactory.create_batch(count, recipient=me)
    client.force_login(me)

    # session, user, unread count, page count, page rows
    with django_assert_num_queries(5):
        response = client.get(reverse("notifications:list"))

    assert response.status_code == 200


def test_notification_open_marks_read_and_redirects(client):
    notification = NotificationFactory(url="/dashboard/")
    client.force_login(notification.recipient)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302
    assert response.url == "/dashboard/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_notification_open_of_another_user_is_404_and_stays_unread(client):
    notification = NotificationFactory()
    client.force_login(UserFactory())

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notification_open_ignores_offsite_links(client):
    notification = NotificationFactory(url="https://evil.example.com/")
    client.force_login(notification.recipient)

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.url == reverse("notifications:list")


def test_notification_read_all_marks_only_mine(client):
    me = UserFactory()
    mine = NotificationFactory.create_batch(3, recipient=me)
    other = NotificationFactory()
    client.force_login(me)

    client.post(reverse("notifications:read_all"))

    assert Notification.objects.filter(pk__in=[n.pk for n in mine], read_at__isnull=True).count() == 0
    other.refresh_from_db()
    assert other.read_at is None


def test_notification_message_translates_per_reader():
    notification = NotificationFactory(verb="system.message", context={"text": "hello"})

    with translation.override("en"):
        assert notification.message == "hello"
