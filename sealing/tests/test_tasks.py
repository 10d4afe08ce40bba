"""The one render-and-seal task: a failed attempt is recorded on the record, a success once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from delivery.audit import RequestMeta
from delivery.models import Effect
from documents.services import version_submit
from documents.tests.factories import VersionFactory
from sealing.enums import PdfStatus
from sealing.services import sealed_pdf_effect, sealed_pdf_store
from sealing.tasks import sealed_pdf_render_task

pytestmark = pytest.mark.django_db

META = RequestMeta(ip_address="10.0.0.1", user_agent="pytest")


def _submitted_version():
    version = VersionFactory(number=1)
    return version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)


def test_render_without_a_certificate_records_the_error_and_keeps_the_pdf_pending(settings, tmp_path):
    settings.SIGNING_PKCS12_PATH = str(tmp_path / "missing.p12")
    version = _submitted_version()

    with pytest.raises(ImproperlyConfigured):
        sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk)

    version.refresh_from_db()
    assert (version.pdf_status, version.pdf_attempts, bool(version.pdf)) == (PdfStatus.NONE, 1, False)
    assert version.pdf_error.startswith(f"ImproperlyConfigured: No signing certificate at {tmp_path}/missing.p12.")


def test_store_marks_failed_on_the_last_attempt_and_never_replaces_a_ready_file():
    version = _submitted_version()

    assert sealed_pdf_store(model=type(version), pk=version.pk, pdf_bytes=None, error="boom", final=True) is False
    version.refresh_from_db()
    assert (version.pdf_status, version.pdf_attempts, version.pdf_error) == (PdfStatus.FAILED, 1, "boom")

    assert sealed_pdf_store(model=type(version), pk=version.pk, pdf_bytes=b"%PDF-1.7 one") is True
    assert sealed_pdf_store(model=type(version), pk=version.pk, pdf_bytes=b"%PDF-1.7 two") is False
    version.refresh_from_db()
    assert (version.pdf_status, version.pdf_attempts, version.pdf_error) == (PdfStatus.READY, 2, "")
    assert version.pdf.read() == b"%PDF-1.7 one"
    assert version.pdf.name == f"signed/{version.deliverable.project_id}/requirements_confirmation-v1.pdf"


def test_effect_names_the_model_and_is_recorded_once():
    version = _submitted_version()

    sealed_pdf_effect(version, kind="version")
    sealed_pdf_effect(version, kind="version")

    effect = Effect.objects.get(key=f"pdf:version:{version.pk}")
    assert (effect.kind, effect.task, effect.kwargs, effect.queue) == (
        "pdf.version",
        "sealing.render_sealed_pdf",
        {"model": "documents.deliverableversion", "pk": version.pk},
        "pdf",
    )
