"""The letter and the reply as sealed PDFs, rendered once by a task and verifiable like deliverables."""

from __future__ import annotations

import subprocess
from datetime import datetime

import pytest
from django.urls import reverse

from changes.enums import ChangeDocument, ChangeKind
from changes.models import ChangePdf
from changes.rendering import change_pdf_bytes
from changes.selectors import change_reference_on_record
from changes.services import change_reply, change_review_start
from deadlines.calendar import TZ
from projects.tests.factories import ProjectFactory
from sealing.enums import PdfStatus
from sealing.tasks import sealed_pdf_render_task
from sealing.verification import document_verify

from .factories import META, change_approved, change_filed

pytestmark = pytest.mark.django_db


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "out.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _render(change, document: str) -> ChangePdf:
    pdf = ChangePdf.objects.get(change=change, document=document)
    assert sealed_pdf_render_task(model="changes.changepdf", pk=pdf.pk) is True
    assert (
        sealed_pdf_render_task(model="changes.changepdf", pk=pdf.pk) is False
    )  # idempotent: a finished PDF is never redone
    pdf.refresh_from_db()
    return pdf


def test_letter_pdf_is_sealed_and_verifiable(certificate, tmp_path, project):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)

    pdf = _render(change, ChangeDocument.LETTER)

    data = pdf.pdf.read()
    verdict = document_verify(data=data)
    assert pdf.pdf_status == PdfStatus.READY
    assert verdict.valid is True
    assert (verdict.reference.project_code, verdict.reference.document_type, verdict.reference.version) == (
        project.code,
        "change-letter",
        "1",
    )
    assert verdict.reference.sha256 == change.letter_sha256
    assert (verdict.on_record, verdict.type_name) == (True, "项目变更说明函")
    reference = verdict.reference
    assert change_reference_on_record(
        project_code=reference.project_code,
        document_type=reference.document_type,
        number=reference.version,
        sha256=reference.sha256,
    )
    assert not change_reference_on_record(
        project_code=reference.project_code, document_type="change-reply", number="1", sha256=reference.sha256
    )
    text = _text(data, tmp_path)
    for expected in (
        "项目变更说明函",
        "4.2 客户方发起（交付方原因）",
        "归档邮箱容量调整",
        "归档保存期由 3 年改为 5 年。",
        "审计记录",
    ):
        assert expected in text
    assert "2026-" in text and change.letter_sha256 in text.replace("\n", "")


def test_reply_pdf_states_the_decision_and_findings(certificate, tmp_path, project):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    change_review_start(change=change, user=project.vendor_pm, meta=META)
    change_reply(
        change=change,
        user=project.vendor_pm,
        meta=META,
        accept=True,
        reasons="确属交付质量问题。",
        findings="部署脚本遗漏归档参数。",
    )

    pdf = _render(change, ChangeDocument.REPLY)

    text = _text(pdf.pdf.read(), tmp_path)
    for expected in ("项目变更说明函答复", "接受本变更。", "部署脚本遗漏归档参数。", "确属交付质量问题。", "按期答复"):
        assert expected in text


def test_agreement_pdf_is_a_record_of_the_agreed_change(certificate, tmp_path):
    project = ProjectFactory()
    change = change_approved(project, kind=ChangeKind.VENDOR_INITIATED)

    text = _text(_render(change, ChangeDocument.REPLY).pdf.read(), tmp_path)

    assert "项目变更协商一致记录" in text
    assert "双方已就本变更达成一致。" in text


def test_sealed_pdf_download_once_ready_and_preview_before(certificate, client, project):
    change = change_filed(project)
    client.force_login(project.customer_lead)
    url = reverse("changes:pdf", args=[project.code, 1, "letter"])

    preview = client.get(url)
    _render(change, ChangeDocument.LETTER)
    sealed = client.get(url)

    assert (preview.status_code, preview["Content-Disposition"]) == (
        200,
        f'inline; filename="preview-{project.code}-change-1-letter.pdf"',
    )
    assert document_verify(data=preview.content).result.signed is False
    assert sealed["Content-Disposition"] == f'attachment; filename="{project.code}-change-1-letter.pdf"'
    assert document_verify(data=b"".join(sealed.streaming_content)).valid is True


def test_no_reply_pdf_before_a_reply(client, project):
    change_filed(project)
    client.force_login(project.customer_lead)

    response = client.get(reverse("changes:pdf", args=[project.code, 1, "reply"]))

    assert response.status_code == 404


def test_letter_pdf_explains_the_reply_date_in_both_languages(tmp_path, project):

    # Received Monday 2026-12-28: 12-29, 12-30, 12-31, then the statutory 元旦 of unpublished 2027 is
    # skipped provisionally: 01-04, 01-05.
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT, now=datetime(2026, 12, 28, 10, 0, tzinfo=TZ))

    text = " ".join(_text(change_pdf_bytes(change, ChangeDocument.LETTER, sign=False), tmp_path).split())

    assert "2027-01-05" in text
    assert "5 个工作日，自 2026-12-28 起算 → 2027-01-05" in text
    assert "跳过法定节假日（临时，放假安排尚未发布）：元旦 01-01" in text
    assert "5 working day(s) after 2026-12-28 → 2027-01-05" in text
    assert "statutory holidays skipped (provisional, schedule not published): New Year's Day 01-01" in text
    assert "the date may still change" in text
