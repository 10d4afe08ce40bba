"""Broker, worker, mail-server and cache failures: committed work is never lost, nothing answers 5xx."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache.backends.base import BaseCache
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.services import user_invite
from accounts.tests.factories import DEFAULT_PASSWORD, OrganizationFactory, UserFactory
from changes.models import ChangeRequest
from changes.tests.factories import change_filed
from deadlines import calendar as calendar_module
from deadlines.enums import RuleCode
from deadlines.services import deadline_open, deadline_sweep
from deadlines.tests.factories import WORKED_REMIND, WORKED_START
from delivery import effects
from delivery.audit import RequestMeta
from delivery.celery import app
from delivery.effects import effects_reconcile
from delivery.enums import EffectState
from delivery.mail import stable_message_id
from delivery.models import Effect
from documents.rendering import version_pdf_bytes
from documents.services import version_submit
from documents.tests.factories import VersionFactory
from notifications.models import Notification
from notifications.services import notification_create
from projects.tests.factories import ProjectFactory
from sealing.enums import PdfStatus
from sealing.tasks import sealed_pdf_render_task

pytestmark = pytest.mark.django_db

META = RequestMeta(ip_address="10.0.0.1", user_agent="pytest")
LATER = timedelta(minutes=2)  # past the reconciler's grace period


@pytest.fixture
def broker_down():
    """A broker nobody listens on (port 1 refuses at once), and tasks really sent to it."""
    original = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.broker_url = original
    app.conf.task_always_eager = True


def broker_back() -> None:
    """The broker answers again; tasks run here (eager), as a worker would run them."""
    app.conf.task_always_eager = True


def _submitted():
    version = VersionFactory(number=1)
    return version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)


def _sign_url(version) -> str:
    d = version.deliverable
    return reverse("documents:sign", args=[d.project.code, d.type.code, version.number])


def test_signing_while_the_broker_is_down_succeeds_and_the_pdf_is_made_once_later(
    client, certificate, broker_down, django_capture_on_commit_callbacks
):
    version = _submitted()
    lead = version.deliverable.project.customer_lead
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _sign_url(version), {"typed_name": lead.get_full_name(), "consent": "on", "password": DEFAULT_PASSWORD}
        )

    assert response.status_code == 302
    assert [str(m) for m in client.get(response.url).context["messages"]] == ["已签署，正在生成已签署的 PDF。"]
    version.refresh_from_db()
    assert (version.state, version.pdf_status) == ("confirmed", PdfStatus.PENDING)
    effect = Effect.objects.get(kind="pdf.version")
    assert set(Effect.objects.values_list("state", flat=True)) == {EffectState.PENDING}
    # The first publish met the broker error; the others were left to the reconciler at once.
    assert Effect.objects.filter(last_error__startswith="publish: ").count() == 1

    broker_back()
    first = effects_reconcile(now=timezone.now() + LATER)
    second = effects_reconcile(now=timezone.now() + LATER)

    version.refresh_from_db()
    effect.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    assert (effect.state, effect.attempts, effect.publish_count) == (EffectState.DONE, 1, 1)
    assert first.published >= 1
    assert second.published == 0


def test_worker_killed_between_render_and_mark_is_redelivered_and_makes_one_pdf(
    certificate, django_capture_on_commit_callbacks
):
    version = _submitted()
    lead = version.deliverable.project.customer_lead
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        from documents.services import version_sign

        version_sign(
            version=version,
            user=lead,
            meta=META,
            typed_name=lead.get_full_name(),
            password=DEFAULT_PASSWORD,
            consent=True,
        )
    key = f"pdf:version:{version.pk}"
    # The first worker claimed the effect, rendered the PDF and was killed before storing it.
    assert effects.effect_claim(key=key)
    version_pdf_bytes(version)
    Effect.objects.filter(key=key).update(
        state=EffectState.PUBLISHED,
        published_at=timezone.now() - timedelta(hours=1),
        claimed_at=timezone.now() - timedelta(seconds=effects.EFFECT_LEASE_SECONDS + 1),
    )

    # Redis hands the unacknowledged message to another worker; the reconciler publishes it too.
    sealed_pdf_render_task.apply(kwargs={"model": "documents.deliverableversion", "pk": version.pk, "effect_key": key})
    effects_reconcile()
    sealed_pdf_render_task.apply(kwargs={"model": "documents.deliverableversion", "pk": version.pk, "effect_key": key})

    version.refresh_from_db()
    effect = Effect.objects.get(key=key)
    assert version.pdf_status == PdfStatus.READY
    assert len(version.pdf_sha256) == 64
    assert (effect.state, effect.attempts) == (EffectState.DONE, 2)


class FlakySMTP:
    """An e-mail backend whose server refuses the first ``failures`` sends."""

    failures = 0

    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages) -> int:
        if FlakySMTP.failures > 0:
            FlakySMTP.failures -= 1
            raise ConnectionRefusedError("SMTP server refused the connection")
        mail.outbox.extend(messages)
        return len(messages)


@pytest.fixture
def flaky_smtp(settings):
    settings.EMAIL_BACKEND = f"{__name__}.FlakySMTP"
    FlakySMTP.failures = 1
    mail.outbox = []
    yield FlakySMTP
    FlakySMTP.failures = 0


def _notify(user) -> Notification:
    with transaction.atomic():
        (notification,) = notification_create(recipients=[user], verb="system.message", context={"text": "签署完成"})
    return notification


def test_email_retried_after_a_mail_server_failure_is_sent_once_with_its_message_id(
    flaky_smtp, django_capture_on_commit_callbacks
):
    user = UserFactory(email="li.jing@customer.example")
    with django_capture_on_commit_callbacks(execute=True):
        notification = _notify(user)

    notification.refresh_from_db()
    assert mail.outbox == []
    assert notification.emailed_at is None  # not marked before the server accepted it
    assert Effect.objects.get().last_error == "ConnectionRefusedError('SMTP server refused the connection')"

    effects_reconcile(now=timezone.now() + LATER)
    effects_reconcile(now=timezone.now() + LATER)

    notification.refresh_from_db()
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        stable_message_id(kind="notification", pk=notification.pk, created_at=notification.created_at)
    ]
    assert notification.emailed_at is not None
    assert Effect.objects.get().state == EffectState.DONE


def test_email_sent_again_after_a_crash_before_marking_keeps_its_message_id(django_capture_on_commit_callbacks):
    user = UserFactory(email="li.jing@customer.example")
    with django_capture_on_commit_callbacks(execute=False):
        notification = _notify(user)
    key = f"mail:notification:{notification.pk}"
    # A worker claimed it, the server accepted the e-mail, and the worker died before marking it.
    from notifications.emails import notification_email_build

    assert effects.effect_claim(key=key)
    notification_email_build(notification).send()
    Effect.objects.filter(key=key).update(
        claimed_at=timezone.now() - timedelta(seconds=effects.EFFECT_LEASE_SECONDS + 1)
    )

    effects_reconcile(now=timezone.now() + LATER)
    effects_reconcile(now=timezone.now() + LATER)

    message_ids = [m.extra_headers["Message-ID"] for m in mail.outbox]
    assert len(message_ids) == 2  # at least once: the second copy is the same message
    assert message_ids[0] == message_ids[1]
    assert Effect.objects.get(key=key).state == EffectState.DONE


def test_invitation_sent_again_after_a_mail_server_failure_carries_the_same_link(
    flaky_smtp, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        user = user_invite(
            email="wang.fang@customer.example",
            full_name="王芳",
            organization=OrganizationFactory(),
            invited_by=UserFactory(),
        )
    invitation = user.invitations.get()
    assert mail.outbox == []
    assert invitation.sent_at is None

    effects_reconcile(now=timezone.now() + LATER)

    invitation.refresh_from_db()
    assert len(mail.outbox) == 1
    assert invitation.sent_at is not None
    assert mail.outbox[0].extra_headers["Message-ID"] == stable_message_id(
        kind="invitation", pk=invitation.pk, created_at=invitation.created_at
    )


def test_deadline_sweep_finishes_every_batch_while_the_broker_is_down(broker_down, django_capture_on_commit_callbacks):
    people = [UserFactory(email=f"p{i}@example.com") for i in range(3)]
    for person in people:
        deadline_open(
            target=person, rule=RuleCode.CHANGE_REPLY, started_at=WORKED_START, working_days=5, recipients=[person]
        )

    result = deadline_sweep(now=WORKED_REMIND + timedelta(hours=9), batch_size=1)

    assert result.reminded == 3
    assert result.failed == 0
    reminders = Effect.objects.filter(kind="mail.notification")
    assert [e.state for e in reminders] == [EffectState.PENDING] * 3

    broker_back()
    effects_reconcile(now=timezone.now() + LATER)

    assert sorted(m.to[0] for m in mail.outbox) == ["p0@example.com", "p1@example.com", "p2@example.com"]


# --- a cache that raises on every call -------------------------------------------------------------


class RaisingCache(BaseCache):
    """What Redis looks like to Django's cache when it is down."""

    def __init__(self, location, params) -> None:
        super().__init__(params)

    def _fail(self, *args, **kwargs):
        raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    add = get = set = touch = delete = has_key = incr = decr = clear = get_many = set_many = _fail


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.RaisingCache"}}
    calendar_module._snapshot = None  # the next calendar read must go through the cache
    yield
    calendar_module._snapshot = None


def test_calendar_page_is_served_while_the_cache_raises(client, cache_down):
    client.force_login(UserFactory())

    response = client.get(reverse("deadlines:calendar"))

    assert response.status_code == 200


def test_change_letters_are_filed_and_shown_while_the_cache_raises(client, cache_down):
    project = ProjectFactory()
    change = change_filed(project)
    client.force_login(project.customer_lead)

    page = client.get(reverse("changes:change", args=[project.code, change.number]))
    filed = client.post(
        reverse("changes:create", args=[project.code]),
        {"kind": "4.2", "title": "归档策略调整", "reason": "不符合要求。", "requirements_change": "保存 5 年。"},
    )

    assert page.status_code == 200
    assert filed.status_code == 302
    assert ChangeRequest.objects.count() == 2


def test_public_verification_page_with_its_rate_limit_works_while_the_cache_raises(client, cache_down):
    assert client.get(reverse("documents:verify")).status_code == 200


def test_healthz_answers_while_the_cache_raises(client, cache_down):
    assert client.get("/healthz").status_code == 200
