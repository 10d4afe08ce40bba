"""Render a document and seal it: the one call every app's rendering.py makes."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils import translation

from .pdf import render_document
from .signing import pdf_sign


@dataclass(frozen=True)
class SealSpec:
    """Who seals and why: the signature's reason and location, the organisation and the seal's purpose."""

    organization: str
    purpose: str
    reason: str
    location: str


def sealed_pdf_bytes(
    *,
    template_name: str,
    context: dict,
    seal: SealSpec | None,
    attachments: dict[str, object] | None = None,
    language: str | None = None,
    html: str | None = None,
    metadata: dict[str, str] | None = None,
) -> bytes:
    """Render ``template_name`` as PDF/A-3b (``attachments`` embedded as JSON) and, with ``seal``,
    seal it where the sign-off block drew the seal. Without ``seal``: an unsealed preview.
    ``html`` and ``metadata``: a page rendered elsewhere (a customised template), see render_document."""
    language = language or settings.LANGUAGE_CODE
    rendered = render_document(
        template_name=template_name,
        context=context,
        language=language,
        attachments=attachments,
        html=html,
        metadata=metadata,
    )
    if seal is None:
        return rendered.data
    with translation.override(language):
        return pdf_sign(
            pdf=rendered.data,
            reason=str(seal.reason),
            location=str(seal.location),
            organization=seal.organization,
            purpose=str(seal.purpose),
            seal=rendered.seal,
        )
