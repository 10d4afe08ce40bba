"""Render HTML templates to PDF with WeasyPrint (A4, Noto CJK embedded as a subset)."""

from __future__ import annotations

import io
import mimetypes

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


class StaticOnlyURLFetcher:
    """Serve /static/... from the app folders and data: URLs; refuse everything else.

    Rendering never goes to the network or reads arbitrary files, whatever the content says.
    """

    def __new__(cls):
        from weasyprint.urls import URLFetcher, URLFetcherResponse

        class _Fetcher(URLFetcher):
            def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
                prefix = f"file:///{settings.STATIC_URL.strip('/')}/"
                if url.startswith(prefix):
                    path = finders.find(url.removeprefix(prefix).split("?")[0])
                    if path:
                        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
                        with open(path, "rb") as fh:
                            return URLFetcherResponse(url, fh.read(), headers={"Content-Type": content_type})
                    raise ValueError(f"Static file not found for PDF: {url}")
                if url.startswith("data:"):
                    return super().fetch(url, headers)
                raise ValueError(f"PDF rendering may not fetch {url!r}")

        return _Fetcher(allowed_protocols={"file", "data"})


def render_pdf(*, template_name: str, context: dict, language: str | None = None) -> bytes:
    """Render a template to PDF bytes.

    The template's <meta name="..."> tags become the PDF's document information entries, which
    is how a signed file names its project, document and version for the verification page.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, context)
    return html_to_pdf(html=html)


def html_to_pdf(*, html: str, metadata: dict[str, str] | None = None) -> bytes:
    """PDF bytes of an HTML page, through the same fetcher and options as ``render_pdf``.

    ``metadata``, when given, replaces the custom document information entries the HTML declares
    (and its author, keywords, description and attachments): HTML written outside this code base
    (a customised template, doctemplates) cannot make the file name itself another document.
    """
    from weasyprint import HTML

    document = HTML(string=html, base_url="file:///", url_fetcher=StaticOnlyURLFetcher()).render()
    if metadata is not None:
        document.metadata.custom = dict(metadata)
        document.metadata.authors, document.metadata.keywords, document.metadata.attachments = [], [], []
        document.metadata.description = None
    return document.write_pdf(custom_metadata=True, pdf_identifier=b"delivery")


def pdf_page_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])
