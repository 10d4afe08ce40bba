"""A signed weekly report gets a sealed PDF like the service form: rendered once after signing,
downloadable from the report page, recognised by the verification page."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from delivery.models import Effect
from sealing.enums import PdfStatus
from sealing.tasks import sealed_pdf_render_task
from sealing.verification import document_verify
from support.enums import SupportRoleKind
from support.services import weekly_report_create, weekly_report_entry_add, weekly_report_sign, weekly_report_submit

from .conftest import META
from .factories import SupportRequestFactory, person_with_role

pytestmark = pytest.mark.django_db


def _signed_report(cast):
    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday() + 7)
    report = weekly_report_create(user=cast.engineer, week_start=monday)
    request = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    weekly_report_entry_add(
        report=report, user=cast.engineer, work_date=monday, support_request=request, work_done="清理队列", hours=6
    )
    weekly_report_submit(report=report, user=cast.engineer, signer=cast.contact)
    return weekly_report_sign(
        report=report, user=cast.contact, meta=META, typed_name="钱客户", password=DEFAULT_PASSWORD, consent=True
    )


def test_signing_a_report_schedules_its_sealed_pdf_once(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        report = _signed_report(cast)

    report.refresh_from_db()
    effect = Effect.objects.get(kind="pdf.weekly_report")
    assert (report.pdf_status, effect.key, effect.kwargs) == (
        PdfStatus.PENDING,
        f"pdf:weekly_report:{report.pk}",
        {"model": "support.weeklyreport", "pk": report.pk},
    )


def test_sealed_report_pdf_is_recognised_by_the_verification_page(cast, certificate, tmp_path):
    report = _signed_report(cast)

    assert sealed_pdf_render_task(model="support.weeklyreport", pk=report.pk) is True
    assert sealed_pdf_render_task(model="support.weeklyreport", pk=report.pk) is False

    report.refresh_from_db()
    data = report.pdf.read()
    verdict = document_verify(data=data)
    assert (verdict.valid, verdict.on_record, verdict.type_name) == (True, True, "技术周报")
    assert [(s.name, s.signed_at) for s in verdict.signatures] == [("钱客户", report.signed_at)]
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for expected in ("技术周报", "清理队列", "钱客户", "交付方（乙方）", "北京时间"):
        assert expected in text
    assert "support_weekly_report" not in text


def test_report_pdf_is_served_to_the_engineer_and_is_404_for_others_or_before_it_is_ready(cast, certificate, client):
    report = _signed_report(cast)
    url = reverse("support:report_pdf", args=[report.pk])
    client.force_login(cast.engineer)
    assert client.get(url).status_code == 404  # not rendered yet

    sealed_pdf_render_task(model="support.weeklyreport", pk=report.pk)
    response = client.get(url)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert 'id="report-pdf"' in client.get(reverse("support:report", args=[report.pk])).content.decode()

    client.force_login(person_with_role(SupportRoleKind.ENGINEER))
    assert client.get(url).status_code == 404
