"""Signing fixtures: a throw-away organisation certificate and a real signed PDF."""

from __future__ import annotations

import pytest

from documents.pdf import render_pdf
from documents.signing import pdf_sign

from .pdf_samples import requirements_context


@pytest.fixture
def signed_pdf(certificate, tmp_path):
    pdf = render_pdf(
        template_name="documents/pdf/requirements_confirmation.html", context=requirements_context(items=12)
    )
    signed = pdf_sign(pdf=pdf, reason="客户确认", location="苏州", stamp_lines=["华信交付科技有限公司", "电子签章"])
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    return path
