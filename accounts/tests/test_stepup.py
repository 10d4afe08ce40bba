"""Step-up checks: signing and revealing stored passwords lock after 5 wrong answers; e-mailed codes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.enums import SecurityEventKind, StepUpMethod
from accounts.models import OneTimeCode, SecurityEvent
from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory
from delivery.audit import RequestMeta
from documents.models import Signature, VersionEvent
from documents.services import version_submit
from documents.tests.factories import VersionFactory
from notifications.models import Notification

pytestmark = pytest.mark.django_db

META = RequestMeta()
LOCKED = "错误次数过多"


@pytest.fixture
def submitted():
    version = VersionFactory(number=1)
    return version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)


def _sign_url(version) -> str:
    d = version.deliverable
    return reverse("documents:sign", args=[d.project.code, d.type.code, version.number])


def _sign(client, version, answer: str, **extra):
    lead = version.deliverable.project.customer_lead
    data = {"typed_name": lead.get_full_name(), "consent": "on", "password": answer}
    return client.post(_sign_url(version), data, REMOTE_ADDR="198.51.100.7", **extra)


def _password_errors(response) -> list[str]:
    return response.context["form"].errors.get("password", [])


def test_fifth_wrong_signing_password_locks_signing(client, submitted, django_capture_on_commit_callbacks):
    project = submitted.deliverable.project
    lead = project.customer_lead
    client.force_login(lead)
    for _ in range(4):
        assert _password_errors(_sign(client, submitted, "wrong")) == ["密码不正确。"]

    with django_capture_on_commit_callbacks(execute=True):
        fifth = _sign(client, submitted, "wrong")
    right = _sign(client, submitted, DEFAULT_PASSWORD)

    assert LOCKED in _password_errors(fifth)[0]
    assert LOCKED in _password_errors(right)[0]
    assert Signature.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.state == "submitted"
    event = SecurityEvent.objects.get()
    assert (event.kind, event.user, event.ip_address) == (SecurityEventKind.STEPUP_LOCKED, lead, "198.51.100.7")
    assert sorted(
        Notification.objects.filter(verb__startswith="accounts.").values_list("recipient__username", "verb")
    ) == sorted(
        [(lead.username, "accounts.stepup_locked_self"), (project.vendor_pm.username, "accounts.stepup_locked_manager")]
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted([lead.email, project.vendor_pm.email])


def test_signing_lock_ends_after_the_lock_period(client, submitted, django_capture_on_commit_callbacks):
    client.force_login(submitted.deliverable.project.customer_lead)
    for _ in range(5):
        _sign(client, submitted, "wrong")

    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        client.force_login(submitted.deliverable.project.customer_lead)
        with django_capture_on_commit_callbacks(execute=False):
            response = _sign(client, submitted, DEFAULT_PASSWORD)

    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_a_right_password_clears_the_count(client, submitted, django_capture_on_commit_callbacks):
    from accounts.stepup import StepUpRefused, stepup_verify

    lead = submitted.deliverable.project.customer_lead
    for _ in range(4):
        with pytest.raises(StepUpRefused):
            stepup_verify(user=lead, purpose="sign", answer="wrong")
    stepup_verify(user=lead, purpose="sign", answer=DEFAULT_PASSWORD)

    for _ in range(4):
        with pytest.raises(StepUpRefused) as refused:
            stepup_verify(user=lead, purpose="sign", answer="wrong")

    assert refused.value.messages == ["密码不正确。"]
    assert SecurityEvent.objects.count() == 0


def test_the_lock_is_per_person(client, submitted):
    from accounts.stepup import StepUpRefused, stepup_verify

    lead = submitted.deliverable.project.customer_lead
    for _ in range(5):
        with pytest.raises(StepUpRefused):
            stepup_verify(user=lead, purpose="sign", answer="wrong")

    assert stepup_verify(user=UserFactory(), purpose="sign", answer=DEFAULT_PASSWORD) == StepUpMethod.PASSWORD


# --- one-time codes -------------------------------------------------------------------------


@pytest.fixture
def code_signer(submitted):
    lead = submitted.deliverable.project.customer_lead
    organization = lead.profile.organization
    organization.stepup_method = StepUpMethod.EMAIL_CODE
    organization.save()
    return lead


def _request_code(client, version, django_capture_on_commit_callbacks) -> str:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:stepup_code"), {"purpose": "sign", "next": _sign_url(version)})
    assert response.status_code == 302
    assert response.url == _sign_url(version)
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def test_sign_page_asks_for_a_code_and_offers_to_send_one(client, submitted, code_signer):
    client.force_login(code_signer)

    html = client.get(_sign_url(submitted)).content.decode()

    assert "一次性验证码" in html
    assert 'id="stepup-code-send"' in html


def test_signing_with_the_e_mailed_code(client, submitted, code_signer, django_capture_on_commit_callbacks):
    client.force_login(code_signer)
    code = _request_code(client, submitted, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=False):
        response = _sign(client, submitted, code)

    assert response.status_code == 302
    assert Signature.objects.get().auth_method == "email_code"
    assert mail.outbox[0].to == [code_signer.email]
    assert OneTimeCode.objects.get().used_at is not None
    assert code not in str(OneTimeCode.objects.values_list("code_hash", flat=True)[0])


def test_the_password_is_not_accepted_where_codes_are_chosen(client, submitted, code_signer):
    client.force_login(code_signer)

    response = _sign(client, submitted, DEFAULT_PASSWORD)

    assert _password_errors(response) == ["请先申请一次性验证码，它会发送到您的电子邮箱。"]
    assert Signature.objects.count() == 0


def test_a_wrong_code_is_refused(client, submitted, code_signer, django_capture_on_commit_callbacks):
    client.force_login(code_signer)
    code = _request_code(client, submitted, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = _sign(client, submitted, wrong)

    assert _password_errors(response) == ["验证码不正确。"]
    assert Signature.objects.count() == 0


def test_an_expired_code_is_refused(client, submitted, code_signer, django_capture_on_commit_callbacks):
    client.force_login(code_signer)
    code = _request_code(client, submitted, django_capture_on_commit_callbacks)

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        client.force_login(code_signer)
        response = _sign(client, submitted, code)

    assert _password_errors(response) == ["验证码已过期，请重新申请。"]
    assert Signature.objects.count() == 0


def test_a_used_code_is_refused(client, submitted, code_signer, django_capture_on_commit_callbacks):
    client.force_login(code_signer)
    code = _request_code(client, submitted, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=False):
        _sign(client, submitted, code)
    secret_url = reverse("documents:verify")  # any page: the code is spent
    assert client.get(secret_url).status_code == 200

    from accounts.stepup import StepUpRefused, stepup_verify

    with pytest.raises(StepUpRefused) as refused:
        stepup_verify(user=code_signer, purpose="sign", answer=code)

    assert refused.value.messages == ["此验证码已使用，请重新申请。"]


def test_too_many_tries_void_the_code(client, submitted, code_signer, django_capture_on_commit_callbacks):
    client.force_login(code_signer)
    code = _request_code(client, submitted, django_capture_on_commit_callbacks)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        _sign(client, submitted, wrong)

    response = _sign(client, submitted, code)

    assert _password_errors(response) == ["此验证码尝试次数过多，请重新申请。"]
    assert Signature.objects.count() == 0


def test_a_code_is_refused_when_the_signature_fails_otherwise_and_stays_usable(
    client, submitted, code_signer, django_capture_on_commit_callbacks
):
    client.force_login(code_signer)
    code = _request_code(client, submitted, django_capture_on_commit_callbacks)
    client.post(_sign_url(submitted), {"typed_name": "别人", "consent": "on", "password": code})

    with django_capture_on_commit_callbacks(execute=False):
        response = _sign(client, submitted, code)

    assert response.status_code == 302


def test_code_requests_are_limited(client, submitted, code_signer, django_capture_on_commit_callbacks):
    client.force_login(code_signer)
    for _ in range(5):
        _request_code(client, submitted, django_capture_on_commit_callbacks)

    response = client.post(reverse("accounts:stepup_code"), {"purpose": "sign", "next": "/"}, follow=True)

    assert "申请的验证码过多" in response.content.decode()
    assert len(mail.outbox) == 5
    assert OneTimeCode.objects.count() == 5


def test_code_request_needs_a_signed_in_post(client, user):
    url = reverse("accounts:stepup_code")

    assert client.post(url, {"next": "/"}).status_code == 302
    client.force_login(user)
    assert client.get(url).status_code == 405
    assert OneTimeCode.objects.count() == 0


def test_code_request_does_not_redirect_elsewhere(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:stepup_code"), {"next": "https://evil.example/"})

    assert response.url == reverse("dashboard")


# --- revealing stored passwords -------------------------------------------------------------


@pytest.fixture
def report_with_secret():
    from documents.services import deliverable_get_or_create, version_draft_create, version_draft_update
    from projects.tests.factories import ProjectFactory

    project = ProjectFactory()
    deliverable = deliverable_get_or_create(project=project, code="implementation_report")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content={})
    content = {"accounts": [{"uid": "a1", "system": "邮件管理台", "username": "admin", "password": "set"}]}
    version_draft_update(
        version=version, user=project.vendor_pm, meta=META, content=content, secrets={"a1:password": "Init-Pass-2026"}
    )
    return version


def _secret_url(version) -> str:
    d = version.deliverable
    return reverse("documents:secret", args=[d.project.code, d.type.code, version.number])


def test_reveal_page_names_the_account_and_asks_again(client, report_with_secret):
    client.force_login(report_with_secret.deliverable.project.vendor_pm)

    response = client.get(_secret_url(report_with_secret), {"key": "a1:password"})

    html = response.content.decode()
    assert "账号：邮件管理台 · admin" in html
    assert "Init-Pass-2026" not in html
    assert "secret" not in response.context


def test_reveal_with_a_wrong_password_shows_nothing(client, report_with_secret):
    client.force_login(report_with_secret.deliverable.project.vendor_pm)

    response = client.post(_secret_url(report_with_secret), {"key": "a1:password", "answer": "wrong"})

    assert "Init-Pass-2026" not in response.content.decode()
    assert response.context["form"].errors["answer"] == ["密码不正确。"]
    assert VersionEvent.objects.filter(kind="secret_revealed").count() == 0


def test_reveal_with_the_password_shows_it_and_records_the_account(client, report_with_secret):
    client.force_login(report_with_secret.deliverable.project.vendor_pm)

    response = client.post(
        _secret_url(report_with_secret), {"key": "a1:password", "answer": DEFAULT_PASSWORD}, REMOTE_ADDR="198.51.100.7"
    )

    assert response.context["secret"] == "Init-Pass-2026"
    assert response.headers["Cache-Control"] == "no-store"
    event = VersionEvent.objects.get(kind="secret_revealed")
    assert (event.comment, event.ip_address) == ("a1 邮件管理台 · admin", "198.51.100.7")


def test_reveals_are_rate_limited(client, report_with_secret):
    client.force_login(report_with_secret.deliverable.project.vendor_pm)
    data = {"key": "a1:password", "answer": DEFAULT_PASSWORD}
    for _ in range(10):
        assert client.post(_secret_url(report_with_secret), data).status_code == 200

    response = client.post(_secret_url(report_with_secret), data)

    assert response.status_code == 429
    assert "secret" not in response.context
    assert VersionEvent.objects.filter(kind="secret_revealed").count() == 10


def test_reveal_is_404_for_outsiders_and_unknown_keys(client, report_with_secret):
    from projects.tests.factories import ProjectFactory

    client.force_login(ProjectFactory().vendor_pm)
    assert client.get(_secret_url(report_with_secret), {"key": "a1:password"}).status_code == 404

    client.force_login(report_with_secret.deliverable.project.vendor_pm)
    assert client.get(_secret_url(report_with_secret), {"key": "zz:password"}).status_code == 404
    assert VersionEvent.objects.filter(kind="secret_revealed").count() == 0


# --- password change ------------------------------------------------------------------------


def test_wrong_old_passwords_lock_the_password_change_too(client, user, django_capture_on_commit_callbacks):
    client.force_login(user)
    url = reverse("password_change")
    data = {"old_password": "wrong", "new_password1": "Brand-New-Pass-42", "new_password2": "Brand-New-Pass-42"}
    for _ in range(4):
        assert client.post(url, data).context["form"].errors["old_password"] == ["你的旧密码不正确。请重新输入。"]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    response = client.post(url, {**data, "old_password": DEFAULT_PASSWORD})

    assert LOCKED in response.context["form"].errors["old_password"][0]
    user.refresh_from_db()
    assert user.check_password(DEFAULT_PASSWORD)
    assert SecurityEvent.objects.get().kind == SecurityEventKind.STEPUP_LOCKED


def test_a_code_request_is_an_outbox_effect_done_once(client, user, django_capture_on_commit_callbacks):
    from delivery.models import Effect

    client.force_login(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("accounts:stepup_code"), {"purpose": "sign", "next": "/"})
    code = OneTimeCode.objects.get()

    effect = Effect.objects.get()
    assert (effect.key, effect.state) == (f"mail:stepup_code:{code.pk}", "done")
    assert len(mail.outbox) == 1
    from accounts.tasks import stepup_code_send_task

    assert stepup_code_send_task(code_id=code.pk) is False  # sent already: nothing twice
    assert len(mail.outbox) == 1
