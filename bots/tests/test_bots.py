from __future__ import annotations

import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bots.enums import MAX_ATTEMPTS, BotEvent, DeliveryState
from bots.models import BotDelivery, GroupBotHook
from bots.services import bot_delivery_send, hook_create, hook_test
from bots.tests.platforms import DINGTALK_SECRET, FEISHU_SECRET, WECOM_KEY, PlatformServer
from changes.enums import ChangeKind
from changes.tests.factories import META, change_filed
from delivery.models import Effect
from documents.services import deliverable_get_or_create, version_draft_create, version_submit
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db

SECRETS = {"wecom": "", "dingtalk": DINGTALK_SECRET, "feishu": FEISHU_SECRET}


@pytest.fixture
def server():
    with PlatformServer() as running:
        yield running


@pytest.fixture
def project(db):
    return ProjectFactory(code="HX-BOT-1")


def _hook(project, server, platform: str, events=(BotEvent.CHANGE_FILED,), secret: str | None = None):
    return hook_create(
        project=project,
        user=project.vendor_pm,
        platform=platform,
        name=f"{platform} 群",
        url=server.url(platform),
        secret=SECRETS[platform] if secret is None else secret,
        events=list(events),
    )


@pytest.mark.parametrize("platform", ["wecom", "dingtalk", "feishu"])
def test_event_is_posted_with_the_platforms_signature(project, server, platform, django_capture_on_commit_callbacks):
    hook = _hook(project, server, platform)
    with django_capture_on_commit_callbacks(execute=True):
        change_filed(project)
    delivery = BotDelivery.objects.get(hook=hook)
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.SENT, 1, "")
    (received,) = server.received
    text = {
        "wecom": lambda p: p["markdown"]["content"],
        "dingtalk": lambda p: p["markdown"]["text"],
        "feishu": lambda p: p["card"]["elements"][0]["content"],
    }[platform](received["payload"])
    assert f"提出了变更说明函 {project.code} #1" in text
    assert "/projects/HX-BOT-1/changes/1/" in text
    hook.refresh_from_db()
    assert hook.last_error == "" and hook.last_sent_at is not None
    # Posted through the outbox: one durable effect per delivery, done.
    effect = Effect.objects.get(key=f"bot:delivery:{delivery.pk}")
    assert (effect.task, effect.kwargs, effect.state) == ("bots.deliver", {"delivery_id": delivery.pk}, "done")


@pytest.mark.parametrize("platform", ["dingtalk", "feishu"])
def test_wrong_secret_is_refused_by_the_platform_and_shown_on_the_hook(
    project, server, platform, django_capture_on_commit_callbacks
):
    hook = _hook(project, server, platform, secret="SEC-wrong")
    with django_capture_on_commit_callbacks(execute=True):
        hook_test(hook=hook, user=project.vendor_pm)
    delivery = BotDelivery.objects.get(hook=hook)
    assert delivery.state == DeliveryState.PENDING
    hook.refresh_from_db()
    expected = {"dingtalk": "310000: sign not match", "feishu": "19021: sign match fail"}[platform]
    assert hook.last_error.startswith(expected)


def test_wecom_wrong_key_is_refused(project, server, django_capture_on_commit_callbacks):
    hook = hook_create(
        project=project,
        user=project.vendor_pm,
        platform="wecom",
        name="x",
        url=server.url("wecom").replace(WECOM_KEY, "other"),
        events=[BotEvent.CHANGE_FILED],
    )
    with django_capture_on_commit_callbacks(execute=True):
        hook_test(hook=hook, user=project.vendor_pm)
    hook.refresh_from_db()
    assert hook.last_error == "93000: invalid webhook url"


def test_retry_after_a_500_then_sent(project, server, django_capture_on_commit_callbacks):
    hook = _hook(project, server, "dingtalk")
    server.fail_next = 2
    with django_capture_on_commit_callbacks(execute=True):
        change_filed(project)
    delivery = BotDelivery.objects.get(hook=hook)
    assert (delivery.state, delivery.attempts, delivery.last_error) == (DeliveryState.PENDING, 1, "HTTP 500")
    hook.refresh_from_db()
    assert hook.last_error == "HTTP 500"
    assert bot_delivery_send(delivery_id=delivery.pk) == DeliveryState.PENDING
    assert bot_delivery_send(delivery_id=delivery.pk) == DeliveryState.SENT
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.SENT, 3)
    hook.refresh_from_db()
    assert hook.last_error == ""
    # A repeated task for a sent message does nothing.
    assert bot_delivery_send(delivery_id=delivery.pk) == ""
    assert len(server.received) == 3


def test_gives_up_after_max_attempts(project, server, django_capture_on_commit_callbacks):
    hook = _hook(project, server, "feishu")
    server.fail_next = MAX_ATTEMPTS
    with django_capture_on_commit_callbacks(execute=True):
        change_filed(project)
    delivery = BotDelivery.objects.get(hook=hook)
    for _ in range(MAX_ATTEMPTS - 1):
        bot_delivery_send(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts) == (DeliveryState.FAILED, MAX_ATTEMPTS)


def test_only_chosen_events_are_posted(project, server, django_capture_on_commit_callbacks):
    _hook(project, server, "wecom", events=[BotEvent.CHANGE_REPLIED])
    with django_capture_on_commit_callbacks(execute=True):
        change_filed(project)
    assert BotDelivery.objects.count() == 0
    assert server.received == []


def test_other_projects_events_are_not_posted(project, server, django_capture_on_commit_callbacks):
    _hook(project, server, "wecom")
    with django_capture_on_commit_callbacks(execute=True):
        change_filed(ProjectFactory())
    assert BotDelivery.objects.count() == 0


def test_internal_deliverables_are_never_posted(project, server, django_capture_on_commit_callbacks):
    _hook(project, server, "wecom", events=[BotEvent.DELIVERABLE_SUBMITTED])
    deliverable = deliverable_get_or_create(project=project, code="handover_record")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content={})
    with django_capture_on_commit_callbacks(execute=True):
        try:
            version_submit(version=version, user=project.vendor_pm, meta=META)
        except ValidationError:
            pytest.skip("the handover record needs content to be submitted")
    assert BotDelivery.objects.count() == 0


def test_secret_never_in_logs_pages_or_messages(project, server, client, caplog, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    hook = _hook(project, server, "dingtalk", secret="SEC-wrong-secret-value")
    with django_capture_on_commit_callbacks(execute=True):
        change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
        hook_test(hook=hook, user=project.vendor_pm)
    client.force_login(project.vendor_pm)
    page = client.get(reverse("bots:list", args=[project.code])).content.decode()
    stored = " ".join(str(v) for v in GroupBotHook.objects.filter(pk=hook.pk).values().get().values())
    texts = " ".join(d.text + d.title + d.last_error for d in BotDelivery.objects.all())
    for secret in ("SEC-wrong-secret-value", "d1n9t0k3n"):
        assert secret not in caplog.text
        assert secret not in page
        assert secret not in stored
        assert secret not in texts
    assert "127.0.0.1" in page  # the host only


def test_hook_configuration_is_the_vendor_pms(project, server):
    with pytest.raises(PermissionDenied):
        hook_create(
            project=project,
            user=project.customer_lead,
            platform="wecom",
            name="x",
            url=server.url("wecom"),
            events=[BotEvent.CHANGE_FILED],
        )
    assert GroupBotHook.objects.count() == 0


def test_hook_validation(project):
    with pytest.raises(ValidationError) as error:
        hook_create(project=project, user=project.vendor_pm, platform="dingtalk", name="", url="ftp://x", events=[])
    assert sorted(error.value.message_dict) == ["events", "secret", "url"]
    assert GroupBotHook.objects.count() == 0


def test_hook_page_permissions(project, client, server):
    hook = _hook(project, server, "wecom")
    client.force_login(project.customer_lead)
    page = client.get(reverse("bots:list", args=[project.code]))
    assert page.status_code == 200
    assert hook.name not in page.content.decode()
    assert client.post(reverse("bots:test", args=[project.code, hook.pk])).status_code == 403
    assert client.post(reverse("bots:list", args=[project.code]), {"platform": "wecom"}).status_code == 403
    outsider = ProjectFactory().customer_lead
    client.force_login(outsider)
    assert client.get(reverse("bots:list", args=[project.code])).status_code == 404


def test_hook_page_adds_and_tests_a_hook(project, client, server, django_capture_on_commit_callbacks):
    client.force_login(project.vendor_pm)
    response = client.post(
        reverse("bots:list", args=[project.code]),
        {
            "platform": "feishu",
            "name": "项目群",
            "url": server.url("feishu"),
            "secret": FEISHU_SECRET,
            "events": ["change_filed"],
        },
    )
    assert response.status_code == 302
    hook = GroupBotHook.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("bots:test", args=[project.code, hook.pk]))
    assert response.status_code == 302
    assert server.received[0]["payload"]["card"]["header"]["title"]["content"] == "测试消息：HX-BOT-1"
