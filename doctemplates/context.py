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
from documents.enums import DeliverableCode
from documents.models import DeliverableType, DeliverableVersion
from documents.schema import REQUIREMENT_KINDS
from sealing.signoff import ONLINE, SEAL_PURPOSE, Party, SignerEntry
from sealing.verification import REFERENCE_KEY

SAMPLE_CODE = "P-SAMPLE"
SAMPLE_SHA256 = "0" * 64


def version_context(version: DeliverableVersion) -> dict:
    """The context the sealed PDF of ``version`` is rendered with (in the site's language)."""
    # documents.rendering calls doctemplates for the template to use: imported here, not above.
    from documents.rendering import version_pdf_context  # noqa: PLC0415 (a cycle: documents.rendering imports doctemplates)

    with translation.override(settings.LANGUAGE_CODE):
        return version_pdf_context(version)


def _sample_sign_off(*, customer: str, vendor: str, now) -> list[Party]:
    """Both parties signed and the vendor's seal drawn: what a sealed PDF's sign-off block shows."""
    signer = _("Sample signer")
    return [
        Party(
            side=_("Customer (Party A)"),
            organization=customer,
            signers=[SignerEntry(role=_("Project lead"), name=signer, signed_at=now, method=str(ONLINE))],
        ),
        Party(
            side=_("Vendor (Party B)"),
            organization=vendor,
            signers=[SignerEntry(role=_("Project manager"), name=signer, signed_at=now, method=str(ONLINE))],
            seal_purpose=str(SEAL_PURPOSE),
            sealed_at=now,
        ),
    ]


def sample_context(deliverable_type: DeliverableType) -> dict:
    """Every key of the real context, in the same shapes, with made-up values: what a template is
    tried on at upload. Groups, as in the real context, only for a requirements confirmation."""
    # documents.rendering imports doctemplates (the template to use): imported here, not above.
    from documents.rendering import requirement_groups, section_heading  # noqa: PLC0415 (a cycle: documents.rendering imports doctemplates)

    sample = _("Sample text")
    now = timezone.localtime()
    name = deliverable_type.name
    project = _("Sample project")
    customer = _("Sample customer")
    vendor = _("Sample vendor")
    contract = _("Sample contract number")
    author = _("Sample author")
    version_label = _("version %(number)s") % {"number": 1}
    fields, tables = content_display(type_code=deliverable_type.code, content={})
    fields = [replace(field, value=sample) for field in fields]
    tables = [replace(table, rows=[[sample for _column in table.columns]] * 2) for table in tables]
    items = [{"kind": kind, "text": sample} for kind, _label in REQUIREMENT_KINDS for _n in (1, 2)]
    return {
        "title": name,
        "header_left": f"{SAMPLE_CODE} · {project}",
        "header_right": f"{name} · {version_label}",
        "pdf_metadata": {REFERENCE_KEY: f"{SAMPLE_CODE}/{deliverable_type.code}/1/{SAMPLE_SHA256}"},
        "pdf_author": vendor,
        "pdf_subject": f"{SAMPLE_CODE} · {project}",
        "pdf_keywords": [name, SAMPLE_CODE, customer, contract, version_label],
        "title_rows": [
            (_("Project"), f"{SAMPLE_CODE} · {project}"),
            (_("Customer"), customer),
            (_("Contract number"), contract),
            (_("Version"), version_label),
            (_("Date"), now.strftime("%Y-%m-%d")),
            (_("Drafted by"), f"{author} · {vendor}"),
        ],
        "project": {"code": SAMPLE_CODE, "name": project, "customer": customer},
        "document": {"version": 1, "sha256": SAMPLE_SHA256},
        "fields": fields,
        "tables": [{"heading": section_heading(i, t.label), "table": t} for i, t in enumerate(tables, start=1)],
        "groups": requirement_groups({"items": items})
        if deliverable_type.code == DeliverableCode.REQUIREMENTS_CONFIRMATION
        else [],
        "deemed": False,
        "sign_off": _sample_sign_off(customer=customer, vendor=vendor, now=now),
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
