from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD
from deadlines.calendar import TZ
from delivery.audit import RequestMeta
from documents.services import version_draft_create, version_sign, version_submit
from documents.tests.factories import VersionFactory
from sealing.tasks import sealed_pdf_render_task

pytestmark = pytest.mark.django_db


def _upload(data: bytes, name: str = "signed.pdf") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="application/pdf")}


def test_verify_page_is_public(client):
    response = client.get(reverse("documents:verify"))

    assert response.status_code == 200
    assert "验证已签署的 PDF" in response.content.decode()


def test_verify_valid_pdf_names_project_document_and_version(client, signed_pdf):
    response = client.post(reverse("documents:verify"), _upload(signed_pdf.read_bytes()))

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["verdict"].valid is True
    assert "有效：文件完整，且由本单位签章。" in html
    assert "PRJ-2026-001" in html
    assert "需求确认单" in html
    assert response.context["verdict"].on_record is False  # a sample file, not a version of ours


def test_verify_tampered_pdf_says_changed(client, signed_pdf):
    data = bytearray(signed_pdf.read_bytes())
    data[data.index(b"stream") + 200] ^= 0x01

    response = client.post(reverse("documents:verify"), _upload(bytes(data)))

    assert response.context["verdict"].valid is False
    assert "文件在签署后被修改过，或签名已损坏" in response.content.decode()


def test_verify_rejects_non_pdf_with_field_error(client, certificate):
    response = client.post(reverse("documents:verify"), _upload(b"hello", name="notes.txt"))

    assert response.status_code == 200
    assert response.context["verdict"] is None
    assert response.context["form"].errors["file"] == ["不接受“txt”类型的文件。可接受的类型：pdf。"]


def test_verify_rejects_file_pretending_to_be_pdf(client, certificate):
    response = client.post(reverse("documents:verify"), _upload(b"MZ\x90\x00 not a pdf"))

    assert response.context["form"].errors["file"] == ["该文件不是 PDF 文档。"]


def test_verify_rejects_files_over_20_mb(client, certificate):
    response = client.post(reverse("documents:verify"), _upload(b"%PDF-" + b"0" * (21 * 1024 * 1024)))

    assert response.context["form"].errors["file"] == ["文件大小为 21.0\xa0MB，上限为 20.0\xa0MB。"]


def test_verify_is_rate_limited_per_address(client, signed_pdf):
    for _ in range(10):
        assert client.post(reverse("documents:verify"), _upload(b"%PDF-1.7 x")).status_code == 200

    response = client.post(reverse("documents:verify"), _upload(signed_pdf.read_bytes()))

    assert response.status_code == 429
    assert response.context["verdict"] is None
    assert "检查次数过多" in response.content.decode()


def _confirm(version):
    meta = RequestMeta(ip_address="10.0.0.1", user_agent="pytest")
    version = version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=meta)
    lead = version.deliverable.project.customer_lead
    version_sign(
        version=version, user=lead, meta=meta, typed_name=lead.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )
    sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk)
    version.refresh_from_db()
    return version


def test_verify_names_signers_certificate_and_whether_a_later_version_superseded_it(client, certificate):
    first = _confirm(VersionFactory(number=1))
    second = _confirm(
        version_draft_create(
            deliverable=first.deliverable,
            user=first.deliverable.project.vendor_pm,
            meta=RequestMeta(ip_address="10.0.0.1", user_agent="pytest"),
        )
    )
    first.refresh_from_db()
    lead = first.deliverable.project.customer_lead

    old = client.post(reverse("documents:verify"), _upload(first.pdf.read())).content.decode()
    latest = client.post(reverse("documents:verify"), _upload(second.pdf.read())).content.decode()

    assert f"后续版本已于 {second.decided_at.astimezone(TZ):%Y-%m-%d} 取代该版本。" in old
    assert "这是最新确认的版本。" in latest
    assert f"{lead.get_full_name()} · {first.signatures.get().signed_at.astimezone(TZ):%Y-%m-%d %H:%M} 北京时间" in old
    assert "客户方项目负责人" in old  # the declared signer role the signature filled
    assert first.deliverable.project.code in old and "需求确认单" in old
    assert "华信交付科技有限公司 文档签章" in old  # the seal certificate's subject
    assert "无：时间以签章所载为准。" in old
