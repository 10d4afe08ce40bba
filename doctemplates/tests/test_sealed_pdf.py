"""A version's sealed PDF from a customised template: signed and verified like any other, and
naming the template in its metadata and its audit trail."""

from __future__ import annotations

import http.server
import re
import subprocess
import threading
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings

from accounts.tests.factories import DEFAULT_PASSWORD
from doctemplates.context import sample_context
from doctemplates.enums import TemplateEventKind, TemplateState
from doctemplates.models import TemplateEvent
from doctemplates.sandbox import TemplateProblems, template_check
from documents.models import DeliverableType
from documents.rendering import version_pdf_bytes
from documents.services import version_sign, version_submit
from sealing.enums import PdfStatus
from sealing.pdf import pdf_page_count
from sealing.signing import pdf_verify, seal_rectangle
from sealing.tasks import sealed_pdf_render_task
from sealing.verification import document_verify

from .conftest import META
from .factories import CustomTemplateFactory

pytestmark = pytest.mark.django_db


def _confirm(version):
    version = version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)
    lead = version.deliverable.project.customer_lead
    version_sign(
        version=version, user=lead, meta=META, typed_name=lead.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )
    version.refresh_from_db()
    return version


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_sealed_pdf_from_custom_template_verifies_and_names_the_template(certificate, version, tmp_path):
    template = CustomTemplateFactory(project=version.deliverable.project, state=TemplateState.ACTIVE, number=3)
    version = _confirm(version)

    assert sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk) is True

    version.refresh_from_db()
    data = version.pdf.read()
    result = pdf_verify(pdf=data)
    assert result.valid is True
    assert result.metadata["template"] == f"客户定制需求确认单 v3 (#{template.pk})"
    project = version.deliverable.project
    assert result.metadata["deliveryref"] == f"{project.code}/requirements_confirmation/1/{version.sha256}"
    assert document_verify(data=data).on_record is True
    text = _text(data, tmp_path)
    assert f"定制模板 {project.code} v1" in text
    assert "完成邮件系统部署" in text
    assert f"按定制模板 客户定制需求确认单 v3 (#{template.pk}) 生成" in text
    assert "由 王客户 于 2026-11-20 确认。" in text
    assert list(TemplateEvent.objects.filter(version=version).values_list("template", "kind")) == [
        (template.pk, TemplateEventKind.USED)
    ]


def _docs_example() -> str:
    docs = (Path(settings.BASE_DIR) / "docs" / "templates.md").read_text(encoding="utf-8")
    return re.search(r"^## Example$.*?^```django\n(.*?)^```$", docs, flags=re.MULTILINE | re.DOTALL).group(1)


def _words(pdf: bytes) -> list[tuple[str, float, float, float, float]]:
    """Each word poppler finds on the first page: (text, x1, y1, x2, y2) in points from the top left."""
    out = subprocess.run(["pdftotext", "-bbox", "-f", "1", "-l", "1", "-", "-"], input=pdf, capture_output=True)
    root = ElementTree.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", out.stdout))
    return [
        (w.text, *(float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")))
        for w in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]


def _signature_box(pdf: bytes) -> tuple[float, float, float, float]:
    """The visible seal's rectangle on the page, in points from the top left (A4: 841.89 high)."""
    return seal_rectangle(pdf)


def test_docs_example_passes_the_upload_checks_for_every_deliverable_type():
    html = _docs_example()

    pdfs = [template_check(html=html, css="", context=sample_context(t)) for t in DeliverableType.objects.all()]

    assert [pdf[:5] for pdf in pdfs] == [b"%PDF-"] * DeliverableType.objects.count()


def test_docs_example_seals_in_the_vendor_column_of_the_sign_off_block(certificate, version):
    CustomTemplateFactory(project=version.deliverable.project, state=TemplateState.ACTIVE, html=_docs_example())
    version = _confirm(version)

    assert sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk) is True

    version.refresh_from_db()
    data = version.pdf.read()
    assert pdf_verify(pdf=data).valid is True
    assert pdf_page_count(data) == 1
    words = {text: box for text, *box in _words(data)}
    x1, top, _x2, bottom = _signature_box(data)
    # Below the sign-off heading, above the audit trail's, in the vendor's (second) column.
    assert words["签署"][3] < top < bottom < words["审计记录"][1]
    assert words["交付方（乙方）"][0] <= x1
    assert {"一、交付需求", "二、上线条件", "三、验收标准", "客户方（甲方）"} <= words.keys()


def test_preview_uses_the_custom_template_without_recording_use(version, tmp_path):
    CustomTemplateFactory(organization=version.deliverable.project.customer, state=TemplateState.ACTIVE)

    text = _text(version_pdf_bytes(version, sign=False), tmp_path)

    assert "定制模板" in text
    assert TemplateEvent.objects.count() == 0


def test_standard_template_without_a_custom_one(version, tmp_path):
    text = _text(version_pdf_bytes(version, sign=False), tmp_path)

    assert "定制模板" not in text
    assert "需求确认单" in text


def test_template_failing_on_real_content_falls_back_to_the_standard_one(certificate, version, tmp_path):
    # Stored without the upload checks: the include names a file that is not allowed.
    template = CustomTemplateFactory(
        project=version.deliverable.project, state=TemplateState.ACTIVE, html="{% include 'sealing/pdf/base.html' %}"
    )
    version = _confirm(version)

    assert sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk) is True

    version.refresh_from_db()
    assert version.pdf_status == PdfStatus.READY
    result = pdf_verify(pdf=version.pdf.read())
    assert result.valid is True
    assert "template" not in result.metadata
    assert list(TemplateEvent.objects.filter(version=version).values_list("template", "kind")) == [
        (template.pk, TemplateEventKind.FAILED)
    ]


def test_html_cannot_forge_the_document_information(version):
    CustomTemplateFactory(
        project=version.deliverable.project,
        state=TemplateState.ACTIVE,
        html='<p>x</p><meta name="deliveryref" content="X/forged/9/0"><meta name="template" content="forged">',
    )

    info = _document_information(version_pdf_bytes(version, sign=False))
    project = version.deliverable.project
    assert info["deliveryref"] == f"{project.code}/requirements_confirmation/1/{version.sha256}"
    assert info["template"].startswith("客户定制需求确认单 v")


def test_template_cannot_change_the_context_by_calling_its_methods(version, tmp_path):
    # Django calls argument-less methods: on the real context these would drop the PDF's reference
    # and the vendor's party.
    CustomTemplateFactory(
        project=version.deliverable.project,
        state=TemplateState.ACTIVE,
        html="<p>x</p>{% if pdf_metadata.clear or sign_off.pop or audit_events.clear %}{% endif %}"
        '{% include "sealing/pdf/sign_off.html" %}',
    )

    pdf = version_pdf_bytes(version, sign=False)

    project = version.deliverable.project
    assert _document_information(pdf)["deliveryref"] == f"{project.code}/requirements_confirmation/1/{version.sha256}"
    text = _text(pdf, tmp_path)
    assert "客户方（甲方）" in text
    assert "交付方（乙方）" not in text  # popped from the template's own copy only
    assert TemplateEvent.objects.count() == 0


def _document_information(pdf: bytes) -> dict[str, str]:
    """The PDF's document information entries, custom ones included, as poppler reads them."""
    out = subprocess.run(["pdfinfo", "-custom", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return {key.strip(): value.strip() for key, _, value in (line.partition(":") for line in out.splitlines())}


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self) -> None:  # noqa: N802  (http.server's name)
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"p { color: red }")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def css_server():
    server = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.hits = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    "css",
    [
        '@import url("{url}/a.css");',
        "p {{ background: url({url}/b.png) }}",
        '@font-face {{ font-family: X; src: url("{url}/c.woff") }} p {{ font-family: X }}',
        "p {{ background: url(file:///etc/passwd) }}",
    ],
)
def test_css_may_not_fetch_urls_neither_at_upload_nor_at_rendering(css_server, version, css):
    css = css.format(url=css_server)

    with pytest.raises(TemplateProblems) as caught:
        template_check(html="<p>x</p>", css=css, context=sample_context(version.deliverable.type))
    messages = [problem.message for problem in caught.value.problems]
    assert all(message.startswith("PDF 渲染器拒绝了模板的一部分：") for message in messages)
    # Stored without the checks, it still renders, without fetching anything.
    CustomTemplateFactory(project=version.deliverable.project, state=TemplateState.ACTIVE, html="<p>x</p>", css=css)
    assert version_pdf_bytes(version, sign=False).startswith(b"%PDF")
    assert _Recorder.hits == []
