"""The signed PDF of a support service form: the form, the customer's signature, an audit-trail
page, digitally signed (PAdES) with the vendor organisation's certificate like every deliverable."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.selectors import organization_vendor
from delivery.people import display_name
from sealing.pdf import render_pdf
from sealing.sealed import SealSpec, sealed_pdf_bytes
from sealing.signoff import SEAL_PURPOSE, Party, SignerEntry
from sealing.verification import REFERENCE_KEY

from .enums import SERVICE_FORM_EVENTS, SupportMode
from .models import ServiceForm, WeeklyReport

TEMPLATE = "support/pdf/service_form.html"
# The verification page reads "<reference>/<document>/<version>/<sha256>" from the PDF.
DOCUMENT_CODE = "support_service_form"
REPORT_CODE = "support_weekly_report"
REPORT_TEMPLATE = "support/pdf/weekly_report.html"


def service_form_pdf_context(form: ServiceForm, *, sealed_at=None) -> dict:
    request = form.request
    vendor = organization_vendor()
    vendor_name = vendor.name if vendor else ""
    content = form.content
    events = [
        {
            "at": timezone.localtime(event.at),
            "label": event.get_kind_display(),
            "by": display_name(event.actor),
            "ip": event.ip_address or "",
            "user_agent": event.user_agent,
            "comment": "",
        }
        for event in request.events.filter(kind__in=SERVICE_FORM_EVENTS).select_related("actor")
    ]
    mode = content.get("mode", "")
    return {
        "title": _("Support service form"),
        "pdf_author": vendor_name,
        "pdf_subject": f"{request.reference} · {content.get('customer', '')}",
        "header_left": f"{request.reference} · {content.get('customer', '')}",
        "header_right": _("Support service form"),
        "pdf_metadata": {REFERENCE_KEY: f"{request.reference}/{DOCUMENT_CODE}/1/{form.sha256}"},
        "form": content,
        "mode": SupportMode(mode).label if mode in SupportMode.values else mode,
        "document": {"sha256": form.sha256},
        "sign_off": [
            Party(
                side=_("Customer (Party A)"),
                organization=content.get("customer", ""),
                signers=[
                    SignerEntry(
                        role=_("Signed by"), name=form.typed_name, signed_at=form.signed_at, method=_("Signed online")
                    )
                ]
                if form.signed_at and form.typed_name
                else [],
            ),
            Party(
                side=_("Vendor (Party B)"),
                organization=vendor_name,
                signers=[SignerEntry(role=_("Engineer"), name=content.get("engineer", ""))],
                seal_purpose=str(SEAL_PURPOSE) if sealed_at else "",
                sealed_at=sealed_at,
            ),
        ],
        "audit_events": events,
    }


def service_form_pdf_bytes(form: ServiceForm, *, sign: bool = True) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        context = service_form_pdf_context(form, sealed_at=timezone.now() if sign else None)
        seal = SealSpec(
            organization=context["pdf_author"],
            purpose=SEAL_PURPOSE,
            reason=_("Support service form of %(reference)s signed") % {"reference": form.request.reference},
            location=form.request.customer.name,
        )
        return sealed_pdf_bytes(template_name=TEMPLATE, context=context, seal=seal if sign else None)


def planning_document_pdf_bytes(document) -> bytes:
    """A planning document written online, as the PDF archived with the request (not sealed)."""
    context = {"document": document, "support_request": document.request, "title": document.get_kind_display()}
    return render_pdf(template_name="support/pdf/planning_document.html", context=context)


def weekly_report_pdf_context(report: WeeklyReport, *, sealed_at=None) -> dict:
    """The signed weekly report: its lines by day, the total, the signer and the vendor's seal."""
    vendor = organization_vendor()
    vendor_name = vendor.name if vendor else ""
    engineer = display_name(report.engineer)
    title = _("Weekly technical report")
    entries = list(report.entries.select_related("request__customer").order_by("work_date", "id"))
    week = report.week_start.isoformat()
    return {
        "title": title,
        "header_left": f"{engineer} · {week}",
        "header_right": title,
        "pdf_metadata": {REFERENCE_KEY: f"W{week}/{REPORT_CODE}/{report.pk}/{report.sha256}"},
        "pdf_author": vendor_name,
        "pdf_subject": f"{engineer} · {week}",
        "pdf_keywords": [str(title), engineer, week],
        "title_rows": [
            (_("Engineer"), engineer),
            (_("Week starting (Monday)"), week),
            (
                _("Submitted"),
                timezone.localtime(report.submitted_at).strftime("%Y-%m-%d") if report.submitted_at else "",
            ),
        ],
        "report": report,
        "entries": entries,
        "total_hours": sum((entry.hours for entry in entries), Decimal("0")),
        "document": {"sha256": report.sha256},
        "sign_off": [
            Party(
                side=_("Signed for the customer or by sales"),
                organization=", ".join(sorted({entry.request.customer.name for entry in entries})),
                signers=[
                    SignerEntry(
                        role=_("Signed by"),
                        name=report.typed_name or display_name(report.signer),
                        signed_at=report.signed_at,
                        method=_("Signed online") if report.signed_at else "",
                    )
                ],
            ),
            Party(
                side=_("Vendor (Party B)"),
                organization=vendor_name,
                signers=[SignerEntry(role=_("Engineer"), name=engineer)],
                seal_purpose=str(SEAL_PURPOSE) if sealed_at else "",
                sealed_at=sealed_at,
            ),
        ],
        "audit_events": [],
    }


def weekly_report_pdf_bytes(report: WeeklyReport, *, sign: bool = True) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        context = weekly_report_pdf_context(report, sealed_at=timezone.now() if sign else None)
        seal = SealSpec(
            organization=context["pdf_author"],
            purpose=SEAL_PURPOSE,
            reason=_("Weekly technical report of %(engineer)s, week of %(week)s signed")
            % {"engineer": display_name(report.engineer), "week": report.week_start.isoformat()},
            location=context["sign_off"][0].organization,
        )
        return sealed_pdf_bytes(template_name=REPORT_TEMPLATE, context=context, seal=seal if sign else None)
