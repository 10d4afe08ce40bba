"""Render HTML templates to archival PDF with WeasyPrint (A4, PDF/A-3b, Noto CJK embedded as subsets).

The template's <title> and <meta name="author|description|keywords"> become the document
information and XMP metadata; other <meta name="..."> tags become custom entries (the
verification reference). ``<html lang>`` becomes the catalogue's /Lang; headings become bookmarks.
"""

from __future__ import annotations

import io
import json
import mimetypes
from dataclasses import dataclass

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

# The element whose place on the page receives the visible signature (the vendor's seal).
SEAL_ANCHOR = "seal"
PX_TO_PT = 0.75  # WeasyPrint lays out in CSS pixels (96 per inch); PDF user space is 72 per inch
# Images and fonts parsed once per process, reused by every render (a large part of its time).
_RENDER_CACHE: dict = {}


class StaticOnlyURLFetcher:
    """Serve /static/... from the app folders and data: URLs; refuse everything else.

    Rendering never goes to the network or reads arbitrary files, whatever the content says.
    """

    def __new__(cls):
        from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: PLC0415 (WeasyPrint is heavy: loaded only when rendering)

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


@dataclass(frozen=True)
class SealBox:
    """Where the seal was drawn: page index and (x1, y1, x2, y2) in PDF points from the bottom left."""

    page: int
    box: tuple[int, int, int, int]


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    seal: SealBox | None = None


def pdf_language(language: str) -> str:
    """The PDF's /Lang: a BCP 47 tag readers understand ("zh-CN" for Simplified Chinese)."""
    return "zh-CN" if language.lower().startswith("zh") else language


def render_document(
    *,
    template_name: str = "",
    context: dict,
    language: str | None = None,
    attachments: dict[str, object] | None = None,
    html: str | None = None,
    metadata: dict[str, str] | None = None,
) -> RenderedPdf:
    """Render a template to a PDF/A-3b file, with ``attachments`` (name -> JSON-able data)
    embedded as JSON files, and find where its seal (the element with id "seal") was drawn.

    ``html`` replaces the template: a page already rendered elsewhere (a customised template,
    doctemplates). ``metadata`` then replaces the custom document information entries the HTML
    declares, and the author, subject and keywords come from ``context`` (``pdf_author``,
    ``pdf_subject``, ``pdf_keywords``): HTML written outside this code base cannot make the file
    name itself another document."""
    from weasyprint import HTML, Attachment  # noqa: PLC0415 (WeasyPrint is heavy: loaded only when rendering)

    language = language or settings.LANGUAGE_CODE
    if html is None:
        with translation.override(language):
            html = render_to_string(template_name, {**context, "pdf_lang": pdf_language(language)})
    document = HTML(string=html, base_url="file:///", url_fetcher=StaticOnlyURLFetcher()).render(cache=_RENDER_CACHE)
    if metadata is not None:
        document.metadata.custom = dict(metadata)
        document.metadata.authors = [context["pdf_author"]] if context.get("pdf_author") else []
        document.metadata.description = context.get("pdf_subject") or None
        document.metadata.keywords = list(context.get("pdf_keywords") or [])
        document.metadata.lang = pdf_language(language)
    files = [
        Attachment(
            string=json.dumps(data, ensure_ascii=False, indent=2, default=str),
            name=name,
            description=name,
            relationship="Data",
        )
        for name, data in (attachments or {}).items()
    ]
    data = document.write_pdf(
        custom_metadata=True,
        pdf_identifier=b"delivery",
        pdf_variant="pdf/a-3b",
        attachments=files,
    )
    return RenderedPdf(data=data, seal=_seal_box(document))


def _seal_box(document) -> SealBox | None:
    for index, page in enumerate(document.pages):
        if SEAL_ANCHOR in page.anchors:
            x1, y1, x2, y2 = page.anchors[SEAL_ANCHOR]  # CSS pixels from the top left
            height = page.height
            return SealBox(
                page=index,
                box=(
                    round(x1 * PX_TO_PT),
                    round((height - y2) * PX_TO_PT),
                    round(x2 * PX_TO_PT),
                    round((height - y1) * PX_TO_PT),
                ),
            )
    return None


def html_to_pdf(*, html: str, metadata: dict[str, str] | None = None, context: dict | None = None) -> bytes:
    """PDF/A bytes of an HTML page, through the same fetcher and options as ``render_document``
    (the customised templates' upload check and preview)."""
    return render_document(html=html, metadata=metadata, context=context or {}).data


def render_pdf(*, template_name: str, context: dict, language: str | None = None) -> bytes:
    """Render a template to PDF bytes (unsealed: previews, planning documents)."""
    return render_document(template_name=template_name, context=context, language=language).data


def pdf_page_count(pdf: bytes) -> int:
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415 (pyHanko is heavy: loaded only when reading a PDF)

    return int(PdfFileReader(io.BytesIO(pdf), strict=False).root["/Pages"]["/Count"])


def render_pdf_string(html: str) -> bytes:
    """A small PDF from literal HTML (the seal's appearance), with the same fetcher and cache."""
    from weasyprint import HTML  # noqa: PLC0415 (WeasyPrint is heavy: loaded only when rendering)

    document = HTML(string=html, base_url="file:///", url_fetcher=StaticOnlyURLFetcher()).render(cache=_RENDER_CACHE)
    return document.write_pdf(pdf_variant="pdf/a-3b")
