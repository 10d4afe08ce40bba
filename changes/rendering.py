"""The sealed PDFs of a change (§4): the letter, and the reply or the record of the agreement.

Rendered like the deliverables' PDFs (sealing.pdf, same base template, audit trail) and sealed
with the vendor organisation's certificate (PAdES), so the verification page recognises them.
"""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import organization_vendor
from deadlines.selectors import deadline_statement
from delivery.people import display_name
from documents.permissions import user_is_vendor
from projects.enums import Side
from sealing.sealed import SealSpec, sealed_pdf_bytes
from sealing.signoff import SEAL_PURPOSE, Party, signer_entry
from sealing.verification import REFERENCE_KEY

from .enums import ChangeDocument
from .models import ChangePdf, ChangeRequest
from .services import reply_deadline

TEMPLATES = {ChangeDocument.LETTER: "changes/pdf/letter.html", ChangeDocument.REPLY: "changes/pdf/reply.html"}


def _title(change: ChangeRequest, document: str) -> str:
    if document == ChangeDocument.LETTER:
        return _("Change letter")
    if not change.needs_reply:
        return _("Record of the agreed change")
    return _("Reply to the change letter")


def _vendor_name(change: ChangeRequest) -> str:
    organization = getattr(getattr(change.project.vendor_pm, "profile", None), "organization", None)
    organization = organization or organization_vendor()
    return organization.name if organization is not None else ""


def _sign_off(change: ChangeRequest, document: str, *, sealed_at) -> list[Party]:
    """Who filed the letter (and who replied or agreed), under their side; the vendor's seal."""
    customer = Party(side=_("Customer (Party A)"), organization=change.project.customer.name)
    vendor = Party(
        side=_("Vendor (Party B)"),
        organization=_vendor_name(change),
        seal_purpose=str(SEAL_PURPOSE) if sealed_at else "",
        sealed_at=sealed_at,
    )
    people = [(change.initiated_by, change.received_at, _("Filed by"), change.initiating_side == Side.VENDOR)]
    if document == ChangeDocument.REPLY and change.replied_by is not None:
        role = _("Replied by") if change.needs_reply else _("Agreed by")
        people.append((change.replied_by, change.replied_at, role, user_is_vendor(change.replied_by)))
    for user, at, role, is_vendor in people:
        (vendor if is_vendor else customer).signers.append(signer_entry(role=role, user=user, signed_at=at))
    return [customer, vendor]


def change_pdf_context(change: ChangeRequest, document: str, *, sealed_at=None) -> dict:
    project = change.project
    sha256 = change.letter_sha256 if document == ChangeDocument.LETTER else change.reply_sha256
    deadline = reply_deadline(change) if change.needs_reply else None
    # The audit trail stops at the moment the document speaks of, whenever the task runs.
    until = change.received_at if document == ChangeDocument.LETTER else change.replied_at
    events = [
        {
            "at": timezone.localtime(e.at),
            "label": e.get_kind_display(),
            "by": display_name(e.actor),
            "ip": e.ip_address or "",
            "user_agent": e.user_agent,
            "comment": e.comment,
        }
        for e in change.events.select_related("actor").filter(at__lte=until).order_by("at", "id")
    ]
    title = _title(change, document)
    return {
        "title": title,
        "header_left": f"{project.code} · {project.name}",
        "header_right": f"{title} #{change.number}",
        "pdf_metadata": {REFERENCE_KEY: f"{project.code}/change-{document}/{change.number}/{sha256}"},
        "pdf_author": _vendor_name(change),
        "pdf_subject": f"{project.code} · {project.name}",
        "pdf_keywords": [title, project.code, project.customer.name, project.contract_number, f"#{change.number}"],
        "sign_off": _sign_off(change, document, sealed_at=sealed_at),
        "project": {"code": project.code, "name": project.name, "customer": project.customer.name},
        "change": change,
        "initiated_by": display_name(change.initiated_by),
        "replied_by": display_name(change.replied_by),
        "received_at": timezone.localtime(change.received_at),
        "replied_at": timezone.localtime(change.replied_at) if change.replied_at else None,
        "reply_due": deadline.due_date if deadline is not None else None,
        "reply_statement": deadline_statement(deadline=deadline) if deadline is not None else None,
        "attachments": [
            {"name": a.name, "size": filesizeformat(a.size), "sha256": a.sha256} for a in change.attachments.all()
        ],
        "document": {"sha256": sha256},
        "audit_events": events,
    }


def change_pdf_bytes(change: ChangeRequest, document: str, *, sign: bool = True) -> bytes:
    """Render (and seal) the letter or the reply, always in the site's default language."""
    with translation.override(settings.LANGUAGE_CODE):
        context = change_pdf_context(change, document, sealed_at=timezone.now() if sign else None)
        seal = SealSpec(
            organization=context["pdf_author"],
            purpose=SEAL_PURPOSE,
            reason=_("%(document)s #%(number)s") % {"document": context["title"], "number": change.number},
            location=change.project.customer.name,
        )
        return sealed_pdf_bytes(
            template_name=TEMPLATES[document],
            context=context,
            seal=seal if sign else None,
            attachments={"audit-trail.json": _audit_attachment(context)},
        )


def _audit_attachment(context: dict) -> dict:
    return {
        "reference": context["pdf_metadata"][REFERENCE_KEY],
        "document": str(context["title"]),
        "events": [
            {"at": e["at"].isoformat(), "event": str(e["label"]), "by": e["by"], "ip": e["ip"], "comment": e["comment"]}
            for e in context["audit_events"]
        ],
    }


def change_pdf_render(pdf: ChangePdf) -> bytes:
    """The sealing task's renderer for a ChangePdf row."""
    return change_pdf_bytes(pdf.change, pdf.document)
