"""The document context a customised template sees, and a sample of it for trial renders.

The real context is documents.rendering.version_pdf_context (docs/templates.md lists its keys;
doctemplates/tests/test_context.py keeps the list and both contexts in step).
"""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from documents.content import content_display
from documents.models import DeliverableType, DeliverableVersion
from sealing.verification import REFERENCE_KEY


def version_context(version: DeliverableVersion) -> dict:
    """The context the sealed PDF of ``version`` is rendered with (in the site's language)."""
    # documents.rendering calls doctemplates for the template to use: imported here, not above.
    from documents.rendering import version_pdf_context

    with translation.override(settings.LANGUAGE_CODE):
        return version_pdf_context(version)


def sample_context(deliverable_type: DeliverableType) -> dict:
    """Every key of the real context, with made-up values: what a template is tried on at upload."""
    sample = _("Sample text")
    now = timezone.localtime()
    fields, tables = content_display(type_code=deliverable_type.code, content={})
    fields = [replace(field, value=sample) for field in fields]
    tables = [replace(table, rows=[[sample for _column in table.columns]] * 2) for table in tables]
    return {
        "title": deliverable_type.name,
        "header_left": "P-SAMPLE · " + _("Sample project"),
        "header_right": f"{deliverable_type.name} v1",
        "pdf_metadata": {REFERENCE_KEY: f"P-SAMPLE/{deliverable_type.code}/1/{'0' * 64}"},
        "project": {"code": "P-SAMPLE", "name": _("Sample project"), "customer": _("Sample customer")},
        "document": {
            "code": deliverable_type.code,
            "version": 1,
            "author": _("Sample author"),
            "drafted_at": now,
            "sha256": "0" * 64,
        },
        "fields": fields,
        "tables": tables,
        "items": [{"number": n, "kind_label": _("Sample group"), "text": sample} for n in (1, 2)],
        "signatures": [{"side": _("Sample side"), "name": _("Sample signer"), "signed_at": now}],
        "offline": "",
        "deemed": False,
        "audit_events": [
            {
                "at": now,
                "label": _("Sample event"),
                "by": _("Sample signer"),
                "ip": "10.0.0.1",
                "user_agent": "",
                "comment": "",
            }
        ],
    }
