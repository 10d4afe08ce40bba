"""Real PDFs: rendered by WeasyPrint, signed by pyHanko, checked with poppler and pyHanko."""

from __future__ import annotations

import re
import subprocess
from xml.etree import ElementTree

from django.core.management import call_command

from sealing.pdf import pdf_page_count, render_pdf
from sealing.signing import pdf_verify, seal_rectangle

from .samples import SEAL, TEMPLATE, requirements_context


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def test_pdf_embeds_every_font_as_a_cjk_subset(signed_pdf):
    fonts = _run("pdffonts", str(signed_pdf))

    rows = fonts.splitlines()[2:]
    assert any("Noto-Sans-CJK-SC" in row for row in rows)
    # columns: name type encoding emb sub uni object ID; the seal's appearance included
    assert [row.split()[-5:-3] for row in rows] == [["yes", "yes"]] * len(rows)


def test_pdf_text_gives_back_the_chinese_and_escapes_html(signed_pdf):
    text = _run("pdftotext", "-layout", str(signed_pdf), "-")

    assert "需求确认单" in text
    assert "与客户统一身份认证平台完成集成" in text
    assert "<script>alert(1)</script>" in text  # shown as text, never interpreted
    assert re.search(r"^\s*1\s*/\s*2\s*$", text, re.MULTILINE)  # page X of Y in the footer


def test_pdf_signature_verifies_and_names_the_document(signed_pdf):
    result = pdf_verify(pdf=signed_pdf.read_bytes())

    assert result.signed is True
    assert result.intact is True
    assert result.trusted is True
    assert result.valid is True
    assert "华信交付科技有限公司" in result.signer
    assert result.metadata["deliveryref"].startswith("PRJ-2026-001/requirements_confirmation/2/")


def test_pdf_with_one_byte_flipped_fails_verification(signed_pdf):
    data = bytearray(signed_pdf.read_bytes())
    index = data.index(b"stream") + 200  # inside the first content stream, covered by the signature
    data[index] ^= 0x01

    result = pdf_verify(pdf=bytes(data))

    assert result.valid is False
    assert result.intact is False


def test_pdf_with_appended_update_fails_verification(signed_pdf):
    data = signed_pdf.read_bytes() + b"\n% appended after signing\n"

    result = pdf_verify(pdf=data)

    assert result.valid is False


def test_pdf_signed_by_another_certificate_is_not_trusted(signed_pdf, settings, tmp_path):
    original = signed_pdf.read_bytes()
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "other.p12")
    call_command("signing_cert", "create", "--organization", "别的公司", stdout=open("/dev/null", "w"))

    result = pdf_verify(pdf=original)

    assert result.intact is True
    assert result.trusted is False
    assert result.problem == "other signer"


def test_unsigned_or_garbage_file_is_reported_not_raised(certificate):
    assert pdf_verify(pdf=b"not a pdf").problem.startswith("unreadable")
    unsigned = render_pdf(template_name=TEMPLATE, context=requirements_context(items=1))
    assert pdf_verify(pdf=unsigned).problem == "unsigned"


def test_signed_pdf_pages_render_with_poppler(signed_pdf, tmp_path):
    _run("pdftoppm", "-r", "60", "-png", str(signed_pdf), str(tmp_path / "page"))

    assert sorted(p.name for p in tmp_path.glob("page-*.png"))[0] == "page-1.png"


def _words(pdf: bytes, page: int) -> list[tuple[str, float, float, float, float]]:
    """Each word poppler finds on ``page``: (text, x1, y1, x2, y2) in points from the top left."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), "-", "-"], input=pdf, capture_output=True
    )
    root = ElementTree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out.stdout))
    return [
        (w.text, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
        for w in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]


def test_no_word_of_the_sign_off_lies_under_the_seal(signed_pdf):
    data = signed_pdf.read_bytes()
    x1, top, x2, bottom = seal_rectangle(data)
    words = _words(data, page=pdf_page_count(data))

    seal_own = {*SEAL.organization, SEAL.purpose}  # the seal's own lettering, drawn as text
    under = [
        text
        for text, left, upper, right, lower in words
        if left < x2 and right > x1 and upper < bottom and lower > top and text not in seal_own
    ]

    assert under == []
    texts = [text for text, *_box in words]
    assert "盖章：电子签章" in texts
    assert any(text.startswith("盖章时间：") for text in texts)
