"""The signed PDF of a version (SPEC §3): the deliverable, a signature block, an audit-trail page."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from doctemplates.rendering import version_custom_pdf
from doctemplates.selectors import template_for_version
from sealing.pdf import render_pdf
from sealing.signing import pdf_sign
from sealing.verification import REFERENCE_KEY

from .content import content_display
from .enums import EventKind, VersionState
from .models import DeliverableVersion

PDF_TEMPLATES = {"requirements_confirmation": "documents/pdf/requirements_confirmation.html"}
GENERIC_TEMPLATE = "documents/pdf/generic.html"


def version_pdf_context(version: DeliverableVersion) -> dict:
    deliverable = version.deliverable
    project = deliverable.project
    fields, tables = content_display(type_code=deliverable.type.code, content=version.content)
    items = []
    if deliverable.type.code == "requirements_confirmation":
        items = [
            {"number": i, "kind_label": row[0], "text": row[1]}
            for i, row in enumerate(next((t.rows for t in tables if t.name == "items"), []), start=1)
        ]
    events = [
        {
            "at": timezone.localtime(e.at),
            "label": e.get_kind_display(),
            "by": (e.actor.get_full_name() or e.actor.get_username()) if e.actor else "",
            "ip": e.ip_address or "",
            "user_agent": e.user_agent,
            "comment": e.comment,
        }
        for e in version.events.select_related("actor").exclude(
            kind__in=[EventKind.PDF_DOWNLOADED, EventKind.SECRET_REVEALED]
        )
    ]
    return {
        "title": deliverable.type.name,
        "header_left": f"{project.code} · {project.name}",
        "header_right": f"{deliverable.type.name} v{version.number}",
        "pdf_metadata": {REFERENCE_KEY: f"{project.code}/{deliverable.type.code}/{version.number}/{version.sha256}"},
        "project": {"code": project.code, "name": project.name, "customer": project.customer.name},
        "document": {
            "code": deliverable.type.code,
            "version": version.number,
            "author": version.author.get_full_name() or version.author.get_username(),
            "drafted_at": timezone.localtime(version.created_at),
            "sha256": version.sha256,
        },
        "fields": fields,
        "tables": tables,
        "items": items,
        "signatures": [
            {"side": s.get_side_display(), "name": s.typed_name, "signed_at": timezone.localtime(s.signed_at)}
            for s in version.signatures.all()
        ],
        "offline": version.get_offline_kind_display() if version.offline_kind else "",
        "deemed": version.state == VersionState.DEEMED_ACCEPTED,
        "audit_events": events,
    }


def version_pdf_bytes(version: DeliverableVersion, *, sign: bool = True) -> bytes:
    """Render (and sign) the PDF. Deterministic in content; the signature adds the signing time."""
    with translation.override(settings.LANGUAGE_CODE):
        context = version_pdf_context(version)
        template = PDF_TEMPLATES.get(version.deliverable.type.code, GENERIC_TEMPLATE)
        # A customised template both sides agreed, when the project or customer has one (doctemplates).
        custom = template_for_version(version)
        pdf = custom and version_custom_pdf(template=custom, version=version, context=context, record=sign)
        pdf = pdf or render_pdf(template_name=template, context=context)
        if not sign:
            return pdf
        project = version.deliverable.project
        stamp = [
            project.vendor_pm.profile.organization.name if _has_org(project.vendor_pm) else "",
            _("Electronic seal"),
        ]
        return pdf_sign(
            pdf=pdf,
            reason=_("%(document)s version %(number)s confirmed")
            % {"document": context["title"], "number": version.number},
            location=project.customer.name,
            stamp_lines=[line for line in stamp if line],
        )


def _has_org(user) -> bool:
    return user is not None and getattr(getattr(user, "profile", None), "organization", None) is not None
