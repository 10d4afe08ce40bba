"""The sealed file as an archive reads it: PDF/A-3b, metadata, fonts, attachments, layout, seal."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from sealing.pdf import pdf_page_count
from sealing.sealed import sealed_pdf_bytes
from sealing.signing import pdf_verify

from .samples import SEAL, TEMPLATE, requirements_context

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def sealed_file(certificate, tmp_path):
    def make(*, items: int = 4, long_item_paragraphs: int = 0, attachments: dict | None = None):
        data = sealed_pdf_bytes(
            template_name=TEMPLATE,
            context=requirements_context(items=items, long_item_paragraphs=long_item_paragraphs),
            seal=SEAL,
            attachments=attachments,
        )
        path = tmp_path / f"sealed-{items}-{long_item_paragraphs}.pdf"
        path.write_bytes(data)
        return path

    return make


def test_sealed_pdf_identifies_as_pdfa_3b_in_its_xmp_and_names_the_document(sealed_file):
    path = sealed_file()

    xmp = _run("pdfinfo", "-meta", str(path))
    info = dict(line.split(":", 1) for line in _run("pdfinfo", str(path)).splitlines() if ":" in line)

    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp
    assert '<rdf:li xml:lang="x-default">需求确认单</rdf:li>' in xmp
    assert "<rdf:li>华信交付科技有限公司</rdf:li>" in xmp  # dc:creator, the vendor organisation
    assert {key: info[key].strip() for key in ("Title", "Author", "Subject", "Keywords")} == {
        "Title": "需求确认单",
        "Author": "华信交付科技有限公司",
        "Subject": "PRJ-2026-001 · 江南制造邮件系统升级项目",
        "Keywords": "需求确认单, PRJ-2026-001, 江南制造集团股份有限公司, HT-2026-0815, 第 2 版",
    }
    data = path.read_bytes()
    assert b"/Lang (zh\\055CN)" in data or b"/Lang (zh-CN)" in data
    assert b"/Outlines" in data  # bookmarks per section


def test_sealed_pdf_embeds_every_font_including_the_seal(sealed_file):
    rows = _run("pdffonts", str(sealed_file())).splitlines()[2:]

    assert any("Noto-Serif-CJK-SC" in row for row in rows)  # the seal's name and purpose
    assert [row.split()[-5:-3] for row in rows] == [["yes", "yes"]] * len(rows)


def test_audit_trail_is_embedded_as_a_json_attachment(sealed_file, tmp_path):
    audit = {"events": [{"event": "签署确认", "by": "李静"}]}
    path = sealed_file(attachments={"audit-trail.json": audit})

    assert "1: audit-trail.json" in _run("pdfdetach", "-list", str(path))
    _run("pdfdetach", "-save", "1", "-o", str(tmp_path / "audit.json"), str(path))
    assert json.loads((tmp_path / "audit.json").read_text()) == audit


def test_four_items_fit_content_and_sign_off_on_one_page_naming_both_parties(sealed_file):
    path = sealed_file(items=4)
    text = _run("pdftotext", "-layout", str(path), "-")

    assert pdf_page_count(path.read_bytes()) == 1
    for expected in ("一、交付需求", "二、上线条件", "三、验收标准", "客户方（甲方）", "交付方（乙方）"):
        assert expected in text
    for expected in ("江南制造集团股份有限公司", "李静", "华信交付科技有限公司", "王建国", "在线签署", "电子签章"):
        assert expected in text
    assert "北京时间" in text
    assert not re.search(r"\bCST\b", text)
    assert "requirements_confirmation" not in text


def test_a_long_item_splits_instead_of_leaving_the_first_page_mostly_empty(sealed_file, tmp_path):
    path = sealed_file(items=7, long_item_paragraphs=6)

    pages = pdf_page_count(path.read_bytes())
    first = _run("pdftotext", "-f", "1", "-l", "1", "-layout", str(path), "-")

    assert pages == 2
    # The long item (the first go-live condition) starts on page 1 and goes on there.
    assert "历史邮件数据迁移完整率达到 100%" in first
    assert first.count("迁移前冻结源系统配置") >= 4
    # Each group is numbered from 1: the items of a kind never continue another kind's numbering.
    assert re.findall(r"^\s*(\d+)\.", _run("pdftotext", "-layout", str(path), "-"), re.MULTILINE)[:3] == ["1", "2", "3"]


def test_pdfsig_finds_one_valid_pades_signature_over_the_whole_file(sealed_file):
    report = _run("pdfsig", str(sealed_file()))

    assert "Signature #1:" in report and "Signature #2:" not in report
    assert "Signature Type: ETSI.CAdES.detached" in report
    assert "Total document signed" in report
    assert "Signature Validation: Signature is Valid." in report


def test_sealed_pdf_verifies_and_a_flipped_byte_or_an_appended_update_does_not(sealed_file):
    data = sealed_file().read_bytes()
    flipped = bytearray(data)
    flipped[data.index(b"stream") + 200] ^= 0x01

    assert pdf_verify(pdf=data).valid is True
    assert (pdf_verify(pdf=bytes(flipped)).valid, pdf_verify(pdf=bytes(flipped)).intact) == (False, False)
    assert pdf_verify(pdf=data + b"\n% appended after sealing\n").valid is False
