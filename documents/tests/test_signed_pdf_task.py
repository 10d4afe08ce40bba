"""The signed PDF of a confirmed version: rendered by the task, once, and verifiable."""

from __future__ import annotations

import subprocess
import threading

import pytest
from django.db import connection

from accounts.tests.factories import DEFAULT_PASSWORD
from delivery.audit import RequestMeta
from documents.enums import VersionState
from documents.models import Signature
from documents.rendering import version_pdf_bytes
from documents.services import version_sign, version_submit
from sealing.credentials import SignatureRefused
from sealing.enums import PdfStatus
from sealing.signing import pdf_verify
from sealing.tasks import sealed_pdf_render_task

from .factories import VersionFactory

META = RequestMeta(ip_address="10.0.0.1", user_agent="pytest")


def _confirmed_version():
    version = VersionFactory(number=1)
    version = version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)
    lead = version.deliverable.project.customer_lead
    version_sign(
        version=version, user=lead, meta=META, typed_name=lead.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )
    version.refresh_from_db()
    return version


@pytest.mark.django_db
def test_render_task_makes_a_verifiable_pdf_once(certificate, tmp_path):
    version = _confirmed_version()

    assert sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk) is True
    assert sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk) is False

    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    data = version.pdf.read()
    verdict = pdf_verify(pdf=data)
    assert verdict.valid is True
    assert (
        verdict.metadata["deliveryref"]
        == f"{version.deliverable.project.code}/requirements_confirmation/1/{version.sha256}"
    )
    from sealing.verification import document_verify

    assert document_verify(data=data).on_record is True
    path = tmp_path / "signed.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "需求确认单" in text
    assert "完成邮件系统部署" in text
    assert "审计记录" in text
    assert version.sha256 in text.replace("\n", "")


@pytest.mark.django_db(transaction=True)
def test_two_signatures_racing_end_with_exactly_one(certificate):
    if connection.vendor != "postgresql":
        pytest.skip("row locks are only meaningful on PostgreSQL (SQLite serialises writers itself)")
    version = VersionFactory(number=1)
    version = version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)
    lead = version.deliverable.project.customer_lead
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def sign() -> None:
        from django.db import connections

        barrier.wait()
        try:
            version_sign(
                version=version,
                user=lead,
                meta=META,
                typed_name=lead.get_full_name(),
                password=DEFAULT_PASSWORD,
                consent=True,
            )
            outcomes.append("signed")
        except SignatureRefused:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["refused", "signed"]
    assert Signature.objects.filter(version=version).count() == 1
    version.refresh_from_db()
    assert version.state == VersionState.CONFIRMED


@pytest.mark.django_db
def test_sealed_pdf_names_both_parties_in_chinese_without_raw_codes(certificate, tmp_path):
    version = _confirmed_version()
    sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk)
    version.refresh_from_db()
    project = version.deliverable.project
    path = tmp_path / "sealed.pdf"
    path.write_bytes(version.pdf.read())

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout

    for expected in (
        "需求确认单",
        "合同编号",
        project.contract_number,
        "客户方（甲方）",
        project.customer.name,
        project.customer_lead.get_full_name(),
        "在线签署",
        "交付方（乙方）",
        project.vendor_pm.get_full_name(),
        "电子签章",
        "北京时间",
    ):
        assert expected in text
    assert "requirements_confirmation" not in text
    assert "CST" not in text


@pytest.mark.django_db
def test_preview_in_english_has_english_headings(certificate, tmp_path):
    version = _confirmed_version()
    path = tmp_path / "preview.pdf"
    path.write_bytes(version_pdf_bytes(version, sign=False, language="en"))

    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout

    for expected in (
        "Requirements confirmation",
        "Contract number",
        "Customer (Party A)",
        "Vendor (Party B)",
        "Sign-off",
    ):
        assert expected in text
    assert "1. Delivery requirements" in text
    assert "需求确认单" not in text and "交付需求" not in text
