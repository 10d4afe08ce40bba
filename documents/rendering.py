"""The sealed PDF of a version (SPEC §3): title block, content, both parties' sign-off, audit trail.

Rendered once after confirmation in the site's language (sealing.tasks); previews render in the
reader's language. Requirements confirmation items are grouped by kind (delivery requirements,
go-live conditions, acceptance criteria) and numbered within each group.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.selectors import organization_vendor
from delivery.people import display_name
from doctemplates.rendering import version_custom_page
from doctemplates.selectors import template_for_version
from projects.enums import Side
from sealing.sealed import SealSpec, sealed_pdf_bytes
from sealing.signoff import SEAL_PURPOSE, Party, SignerEntry, signer_entry
from sealing.verification import REFERENCE_KEY

from .content import content_display
from .enums import DeliverableCode, EventKind, VersionState
from .models import DeliverableVersion
from .schema import REQUIREMENT_KINDS
from .signers import VersionSigner, version_signers

PDF_TEMPLATES = {DeliverableCode.REQUIREMENTS_CONFIRMATION: "documents/pdf/requirements_confirmation.html"}
GENERIC_TEMPLATE = "documents/pdf/generic.html"
REQUIREMENT_GROUPS = {
    "requirement": gettext_lazy("Delivery requirements"),
    "golive_condition": gettext_lazy("Go-live conditions"),
    "acceptance_criterion": gettext_lazy("Acceptance criteria"),
}
CHINESE_NUMERALS = "一二三四五六七八九十"
AUDIT_ATTACHMENT = "audit-trail.json"


def section_heading(index: int, label: str) -> str:
    """ "一、交付需求" in Chinese, "1. Delivery requirements" otherwise (1-based)."""
    if translation.get_language().startswith("zh") and index <= len(CHINESE_NUMERALS):
        return f"{CHINESE_NUMERALS[index - 1]}、{label}"
    return f"{index}. {label}"


def requirement_groups(content: dict) -> list[dict]:
    """The items by kind, in the order of the catalogue's kinds, numbered within each group."""
    kinds = [kind for kind, _label in REQUIREMENT_KINDS]
    groups = []
    for kind in kinds:
        texts = [item.get("text", "") for item in content.get("items", []) if item.get("kind") == kind]
        if texts:
            groups.append({"label": str(REQUIREMENT_GROUPS[kind]), "items": list(enumerate(texts, start=1))})
    for index, group in enumerate(groups, start=1):
        group["heading"] = section_heading(index, group["label"])
    return groups


def _vendor_name(project) -> str:
    profile = getattr(project.vendor_pm, "profile", None)
    organization = getattr(profile, "organization", None) or organization_vendor()
    return organization.name if organization is not None else ""


def _declared(signers: list[VersionSigner], side: str) -> list[SignerEntry]:
    """The type's declared signers of ``side`` (documents.signers), signed or not, in order."""
    return [
        signer_entry(role=s.role_label, user=s.person, signed_at=s.signed_at, typed_name=s.typed_name)
        for s in signers
        if s.side == side
    ]


def _customer_party(version: DeliverableVersion, signers: list[VersionSigner]) -> Party:
    project = version.deliverable.project
    entries = [entry for entry in _declared(signers, Side.CUSTOMER) if entry.signed_at]
    if not entries:
        if version.state in (VersionState.DEEMED_ACCEPTED,):
            method = _("Deemed accepted (§3.1.4)")
        elif version.offline_kind:
            method = version.get_offline_kind_display()
        else:
            method = ""
        entries = _declared(signers, Side.CUSTOMER) or [
            SignerEntry(role=_("Project lead"), name=display_name(project.customer_lead))
        ]
        if method:
            first = entries[0]
            entries = [SignerEntry(role=first.role, name=first.name, signed_at=version.decided_at, method=str(method))]
    return Party(side=_("Customer (Party A)"), organization=project.customer.name, signers=entries)


def _vendor_party(version: DeliverableVersion, signers: list[VersionSigner], *, sealed_at) -> Party:
    project = version.deliverable.project
    entries = _declared(signers, Side.VENDOR) or [
        SignerEntry(role=_("Project manager"), name=display_name(project.vendor_pm))
    ]
    return Party(
        side=_("Vendor (Party B)"),
        organization=_vendor_name(project),
        signers=entries,
        # Previews (not sealed) show no seal.
        seal_purpose=str(SEAL_PURPOSE) if sealed_at else "",
        sealed_at=sealed_at,
    )


def _audit_events(version: DeliverableVersion) -> list[dict]:
    return [
        {
            "at": timezone.localtime(e.at),
            "label": e.get_kind_display(),
            "by": display_name(e.actor),
            "ip": e.ip_address or "",
            "user_agent": e.user_agent,
            "comment": e.comment,
        }
        for e in version.events.select_related("actor").exclude(
            kind__in=[EventKind.PDF_DOWNLOADED, EventKind.SECRET_REVEALED]
        )
    ]


def version_pdf_context(version: DeliverableVersion, *, sealed_at=None) -> dict:
    deliverable = version.deliverable
    project = deliverable.project
    name = deliverable.type.name
    fields, tables = content_display(type_code=deliverable.type.code, content=version.content)
    signers = version_signers(version)
    vendor = _vendor_name(project)
    version_label = _("version %(number)s") % {"number": version.number}
    issued = version.submitted_at or version.created_at
    return {
        "title": name,
        "header_left": f"{project.code} · {project.name}",
        "header_right": f"{name} · {version_label}",
        "pdf_metadata": {REFERENCE_KEY: f"{project.code}/{deliverable.type.code}/{version.number}/{version.sha256}"},
        "pdf_author": vendor,
        "pdf_subject": f"{project.code} · {project.name}",
        "pdf_keywords": [name, project.code, project.customer.name, project.contract_number, version_label],
        "title_rows": [
            (_("Project"), f"{project.code} · {project.name}"),
            (_("Customer"), project.customer.name),
            (_("Contract number"), project.contract_number),
            (_("Version"), version_label),
            (_("Date"), timezone.localtime(issued).strftime("%Y-%m-%d")),
            (_("Drafted by"), f"{display_name(version.author)} · {vendor}" if vendor else display_name(version.author)),
        ],
        "project": {"code": project.code, "name": project.name, "customer": project.customer.name},
        "document": {"version": version.number, "sha256": version.sha256},
        "fields": fields,
        "tables": [{"heading": section_heading(i, t.label), "table": t} for i, t in enumerate(tables, start=1)],
        "groups": requirement_groups(version.content)
        if deliverable.type.code == DeliverableCode.REQUIREMENTS_CONFIRMATION
        else [],
        "deemed": version.state == VersionState.DEEMED_ACCEPTED,
        "sign_off": [
            _customer_party(version, signers),
            _vendor_party(version, signers, sealed_at=sealed_at),
        ],
        "audit_events": _audit_events(version),
    }


def _audit_attachment(version: DeliverableVersion, context: dict) -> dict:
    """The audit trail as data (PDF/A-3 attachment): what the last section prints, for machines."""
    return {
        "reference": context["pdf_metadata"][REFERENCE_KEY],
        "document": context["title"],
        "version": version.number,
        "sha256": version.sha256,
        "signatures": [
            {
                "side": s.side,
                "role": s.role,
                "name": s.typed_name,
                "signed_at": s.signed_at.isoformat(),
                "ip": s.ip_address or "",
            }
            for s in version.signatures.order_by("signed_at", "id")
        ],
        "events": [
            {"at": e["at"].isoformat(), "event": str(e["label"]), "by": e["by"], "ip": e["ip"], "comment": e["comment"]}
            for e in context["audit_events"]
        ],
    }


def version_pdf_bytes(version: DeliverableVersion, *, sign: bool = True, language: str | None = None) -> bytes:
    """Render (and seal) the PDF: sealed ones in the site's language, previews in ``language``."""
    language = language or settings.LANGUAGE_CODE
    with translation.override(language):
        context = version_pdf_context(version, sealed_at=timezone.now() if sign else None)
        project = version.deliverable.project
        seal = SealSpec(
            organization=context["sign_off"][1].organization,
            purpose=SEAL_PURPOSE,
            reason=_("%(document)s version %(number)s confirmed")
            % {"document": context["title"], "number": version.number},
            location=project.customer.name,
        )
        # A customised template both sides agreed, when the project or customer has one (doctemplates).
        custom = template_for_version(version)
        page = custom and version_custom_page(template=custom, version=version, context=context, record=sign)
        return sealed_pdf_bytes(
            template_name=PDF_TEMPLATES.get(version.deliverable.type.code, GENERIC_TEMPLATE),
            html=page.html if page else None,
            metadata=page.metadata if page else None,
            context=context,
            seal=seal if sign else None,
            attachments={AUDIT_ATTACHMENT: _audit_attachment(version, context)},
            language=language,
        )
