"""Signing fixtures: a throw-away organisation certificate and a real signed PDF."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from documents.pdf import render_pdf
from documents.signing import pdf_sign

from .pdf_samples import requirements_context


@pytest.fixture(scope="session")
def signing_settings(tmp_path_factory):
    path = tmp_path_factory.mktemp("signing") / "organization.p12"
    return {"SIGNING_PKCS12_PATH": str(path), "PDF_FONT_CACHE_DIR": tmp_path_factory.mktemp("fonts")}


@pytest.fixture
def certificate(settings, signing_settings, db):
    for key, value in signing_settings.items():
        setattr(settings, key, value)
    call_command("signing_cert", "create", "--organization", "华信交付科技有限公司", stdout=open("/dev/null", "w"))
    return signing_settings["SIGNING_PKCS12_PATH"]


@pytest.fixture
def signed_pdf(certificate, tmp_path):
    pdf = render_pdf(
        template_name="documents/pdf/requirements_confirmation.html", context=requirements_context(items=12)
    )
    signed = pdf_sign(pdf=pdf, reason="客户确认", location="苏州", stamp_lines=["华信交付科技有限公司", "电子签章"])
    path = tmp_path / "signed.pdf"
    path.write_bytes(signed)
    return path
