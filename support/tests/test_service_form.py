"""The support service form signed online like a deliverable (SPEC §3), its signed PDF, or the
signed paper form uploaded instead."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import threading

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from accounts.tests.factories import DEFAULT_PASSWORD, CustomerUserFactory
from deadlines.calendar import TZ
from delivery.tests.outbox import effects_recorded
from sealing.enums import PdfStatus
from sealing.signing import pdf_verify
from sealing.tasks import sealed_pdf_render_task
from sealing.verification import document_verify
from support.enums import EventKind, ServiceFormState
from support.models import ServiceForm
from support.services import (
    service_form_content_sha256,
    service_form_record_paper,
    service_form_send,
    service_form_sign,
    support_request_outcome_record,
)

from . import flows
from .conftest import META


def _sent(cast) -> ServiceForm:
    request = flows.in_progress(cast)
    support_request_outcome_record(
        support_request=request, user=cast.engineer, meta=META, outcome="网关恢复正常，队列清空"
    )
    return service_form_send(
        support_request=request, user=cast.engineer, meta=META, work_summary="清理队列，升级补丁", hours=6
    )


def _sign(cast, form, **overrides):
    arguments = {"typed_name": "钱客户", "password": DEFAULT_PASSWORD, "consent": True, **overrides}
    return service_form_sign(support_request=form.request, user=cast.contact, meta=META, **arguments)


@pytest.mark.django_db
def test_sending_freezes_and_fingerprints_the_content(cast):
    form = _sent(cast)

    assert form.state == ServiceFormState.AWAITING_SIGNATURE
    assert form.content["work_summary"] == "清理队列，升级补丁"
    assert form.content["outcome"] == "网关恢复正常，队列清空"
    assert form.content["customer"] == "江南制造股份有限公司"
    assert form.sha256 == service_form_content_sha256(form.content)


@pytest.mark.django_db
def test_signing_records_who_when_where_and_starts_the_completion_clock(cast, django_capture_on_commit_callbacks):
    form = _sent(cast)

    with time_machine.travel(dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ), tick=False):
        with django_capture_on_commit_callbacks(), effects_recorded() as recorded:
            _sign(cast, form)

    form.refresh_from_db()
    request = form.request
    request.refresh_from_db()
    assert form.state == ServiceFormState.SIGNED
    assert (form.signer, form.typed_name, form.ip_address, form.user_agent) == (
        cast.contact,
        "钱客户",
        "10.0.0.8",
        "pytest",
    )
    assert form.pdf_status == PdfStatus.PENDING
    # §6: the engineer confirms by the end of the next working day (after National Day).
    assert request.completion_due_at == dt.datetime(2026, 10, 9, 0, 0, tzinfo=TZ)
    assert request.events.filter(kind=EventKind.FORM_SIGNED).get().comment == f"SHA-256 {form.sha256}"
    assert recorded == ["mail.notification", "pdf.service_form"]  # the engineer's e-mail and the PDF task


@pytest.mark.django_db
def test_signing_needs_consent_name_and_password_and_changes_nothing_without(cast):
    form = _sent(cast)

    with pytest.raises(ValidationError) as refused:
        _sign(cast, form, typed_name="钱", password="wrong", consent=False)

    form.refresh_from_db()
    assert sorted(refused.value.message_dict) == ["consent", "password", "typed_name"]
    assert form.state == ServiceFormState.AWAITING_SIGNATURE
    assert form.signed_at is None


@pytest.mark.django_db
def test_only_the_customer_contact_signs(cast):
    form = _sent(cast)
    colleague = CustomerUserFactory(profile__organization=cast.customer)

    with pytest.raises(PermissionDenied):
        service_form_sign(
            support_request=form.request,
            user=colleague,
            meta=META,
            typed_name="x",
            password=DEFAULT_PASSWORD,
            consent=True,
        )

    form.refresh_from_db()
    assert form.state == ServiceFormState.AWAITING_SIGNATURE


@pytest.mark.django_db
def test_content_changed_behind_the_fingerprint_cannot_be_signed(cast):
    form = _sent(cast)
    ServiceForm.objects.filter(pk=form.pk).update(content={**form.content, "hours": "60"})

    with pytest.raises(ValidationError) as refused:
        _sign(cast, form)

    assert refused.value.messages == ["服务单内容与其指纹不符，无法签署。"]
    form.refresh_from_db()
    assert (form.state, form.signed_at) == (ServiceFormState.AWAITING_SIGNATURE, None)


@pytest.mark.django_db
def test_signed_form_cannot_be_signed_again_or_replaced_by_paper(cast):
    form = _sent(cast)
    _sign(cast, form)
    form.refresh_from_db()
    signed = (form.state, form.signed_at, form.sha256, form.paper_name)

    with pytest.raises(ValidationError) as signed_again:
        _sign(cast, form)
    with pytest.raises(ValidationError) as replaced:
        service_form_record_paper(support_request=form.request, user=cast.engineer, meta=META, scan=flows.paper_scan())

    assert signed_again.value.messages == ["此服务单不在等待签署状态。"]
    assert replaced.value.messages == ["服务单已签署。"]
    form.refresh_from_db()
    assert (form.state, form.signed_at, form.sha256, form.paper_name) == signed


@pytest.mark.django_db
def test_paper_form_is_recorded_with_its_fingerprint(cast):
    request = flows.form_signed_on_paper(cast)

    form = request.service_form
    assert form.state == ServiceFormState.SIGNED_PAPER
    assert form.paper_name == "服务单.pdf"
    assert form.paper_sha256 == hashlib.sha256(flows.PDF).hexdigest()
    assert form.paper_scan.read() == flows.PDF


@pytest.mark.django_db
def test_pdf_task_renders_a_verifiable_signed_pdf_once(cast, certificate, tmp_path):
    form = _sent(cast)
    _sign(cast, form)

    assert sealed_pdf_render_task(model="support.serviceform", pk=form.pk) is True
    assert sealed_pdf_render_task(model="support.serviceform", pk=form.pk) is False

    form.refresh_from_db()
    data = form.pdf.read()
    assert form.pdf_status == PdfStatus.READY
    assert pdf_verify(pdf=data).valid is True
    verdict = document_verify(data=data)
    assert verdict.valid is True
    assert (verdict.reference.project_code, verdict.reference.document_type, verdict.reference.sha256) == (
        form.request.reference,
        "support_service_form",
        form.sha256,
    )
    assert (verdict.on_record, verdict.type_name) == (True, "技术支持服务单")
    path = tmp_path / "form.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = text.replace("\n", "")
    for expected in (
        "技术支持服务单",
        "清理队列，升级补丁",
        "网关恢复正常，队列清空",
        "钱客户",
        "审计记录",
        form.sha256,
    ):
        assert expected in flat
    assert "support_service_form" not in flat


@pytest.mark.django_db(transaction=True)
def test_two_signatures_racing_end_with_exactly_one(cast, certificate):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    form = _sent(cast)
    outcomes = []
    barrier = threading.Barrier(2)

    def sign() -> None:
        try:
            barrier.wait()
            _sign(cast, form)
            outcomes.append("signed")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "signed"]
    assert form.request.events.filter(kind=EventKind.FORM_SIGNED).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("hours", [0, -1])
def test_service_form_hours_must_be_positive(cast, hours):
    request = flows.in_progress(cast)
    support_request_outcome_record(support_request=request, user=cast.engineer, meta=META, outcome="网关恢复正常")

    with pytest.raises(ValidationError) as refused:
        service_form_send(support_request=request, user=cast.engineer, meta=META, work_summary="清理队列", hours=hours)

    assert refused.value.messages == ["请填写工作时长（大于 0）。"]
    assert not ServiceForm.objects.filter(request=request).exists()


@pytest.mark.django_db
def test_sending_again_records_a_resend_and_no_second_notice_while_one_is_unread(cast):
    from notifications.models import Notification

    form = _sent(cast)

    service_form_send(
        support_request=form.request, user=cast.engineer, meta=META, work_summary="清理队列，补丁已升级", hours=7
    )

    form.refresh_from_db()
    assert form.content["work_summary"] == "清理队列，补丁已升级"
    assert list(form.request.events.filter(kind__startswith="form_").values_list("kind", flat=True)) == [
        EventKind.FORM_SENT,
        EventKind.FORM_RESENT,
    ]
    assert Notification.objects.filter(verb="support.form_sent", recipient=cast.contact).count() == 1


@pytest.mark.django_db
def test_sending_again_after_the_notice_was_read_tells_the_contact_again(cast):
    from django.utils import timezone

    from notifications.models import Notification

    form = _sent(cast)
    Notification.objects.filter(recipient=cast.contact).update(read_at=timezone.now())

    service_form_send(support_request=form.request, user=cast.engineer, meta=META, work_summary="再次发送", hours=7)

    assert Notification.objects.filter(verb="support.form_sent", recipient=cast.contact).count() == 2


@pytest.mark.django_db
def test_service_form_waits_in_the_contacts_waiting_for_my_signature(client, cast):
    from django.urls import reverse

    form = _sent(cast)
    client.force_login(cast.contact)

    page = client.get(reverse("documents:waiting")).content.decode()
    dashboard = client.get(reverse("dashboard")).content.decode()

    label = f"技术支持服务单 {form.request.reference}"
    assert label in page
    assert label in dashboard
    assert reverse("support:form_sign", args=[form.request_id]) in page
