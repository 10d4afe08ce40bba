"""PAdES B-LT with a real timestamp authority on loopback; B-B without one."""

from __future__ import annotations

import subprocess

import pytest

from sealing.sealed import sealed_pdf_bytes
from sealing.signing import pdf_verify

from .samples import SEAL, TEMPLATE, requirements_context
from .tsa import LoopbackTsa

pytestmark = pytest.mark.django_db


def test_with_a_tsa_the_seal_carries_a_timestamp_and_long_term_validation_data(certificate, settings, tmp_path):
    with LoopbackTsa(tmp_path) as tsa:
        settings.SIGNING_TSA_URL = tsa.url
        settings.SIGNING_TSA_ROOTS = str(tsa.roots_pem)
        data = sealed_pdf_bytes(template_name=TEMPLATE, context=requirements_context(items=4), seal=SEAL)
        requests = tsa.requests

        result = pdf_verify(pdf=data)

    assert requests >= 1  # pyHanko may ask once more to size the signature
    assert (result.valid, result.long_term) == (True, True)
    assert result.timestamp[:4] == result.signed_at[:4] and len(result.timestamp) == 19
    assert result.timestamp_authority == "测试时间戳服务"
    path = tmp_path / "sealed.pdf"
    path.write_bytes(data)
    report = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Signature Validation: Signature is Valid." in report
    assert pdf_verify(pdf=data + b"\n% appended\n").valid is False


def test_without_a_tsa_the_seal_is_b_b(certificate, settings):
    settings.SIGNING_TSA_URL = ""

    result = pdf_verify(pdf=sealed_pdf_bytes(template_name=TEMPLATE, context=requirements_context(items=1), seal=SEAL))

    assert (result.valid, result.timestamp, result.long_term) == (True, "", False)
