"""Context shared by the version pages, and the starting content of a first draft."""

from __future__ import annotations

from collections.abc import Callable

from django.utils import timezone

from delivery.people import display_name
from projects.enums import Side
from sealing.enums import PdfStatus

from .content import content_display
from .enums import ACCEPTED_STATES, EventKind, VersionState
from .gantt import gantt_for_plan
from .permissions import user_can_draft, user_can_record_offline, user_is_vendor, user_signing_side
from .plan_checks import plan_warnings
from .selectors import version_last_accepted_before, version_list


def version_page_context(*, version, user) -> dict:
    deliverable = version.deliverable
    project = deliverable.project
    fields, tables = content_display(type_code=deliverable.type.code, content=version.content)
    side = user_signing_side(version, user)
    signed_sides = {s.side for s in version.signatures.all()}
    versions = list(version_list(deliverable=deliverable, user=user))
    is_plan = deliverable.type.code == "project_plan"
    secret_rows = []
    if deliverable.type.code == "implementation_report":
        secret_rows = [
            {"key": f"{row['uid']}:password", "system": row.get("system", ""), "username": row.get("username", "")}
            for row in version.content.get("accounts", [])
            if row.get("password")
        ]
    return {
        "project": project,
        "deliverable": deliverable,
        "deliverable_type": deliverable.type,
        "version": version,
        "versions": versions,
        # The version just before this one that the reader may see, for "compare with previous".
        "previous_version": next((v for v in versions if v.number < version.number), None),
        "fields": fields,
        "tables": tables,
        "gantt": gantt_for_plan(version.content, today=timezone.localdate()) if is_plan else None,
        "plan_warnings": plan_warnings(
            project=project,
            content=version.content,
            today=timezone.localdate(),
            draft=version.state == VersionState.DRAFT,
        )
        if is_plan and user_is_vendor(user)
        else [],
        "events": version.events.select_related("actor").order_by("at", "id"),
        "previous_accepted": version_last_accepted_before(version=version),
        "returned_before": deliverable.versions.filter(number=version.number - 1, state=VersionState.RETURNED).first(),
        "can_edit": version.state == VersionState.DRAFT and user_can_draft(project, user),
        "can_submit": version.state == VersionState.DRAFT and user_can_record_offline(project, user),
        "can_record_offline": version.state in (VersionState.DRAFT, VersionState.SUBMITTED)
        and user_can_record_offline(project, user),
        "can_sign": version.state == VersionState.SUBMITTED and side is not None and side not in signed_sides,
        "can_start_new": version.state not in (VersionState.DRAFT, VersionState.SUBMITTED)
        and not deliverable.versions.filter(state__in=[VersionState.DRAFT, VersionState.SUBMITTED]).exists()
        and user_can_draft(project, user),
        "is_vendor": user_is_vendor(user),
        "pdf_ready": version.pdf_status == PdfStatus.READY,
        "pdf_pending": version.pdf_status == PdfStatus.PENDING,
        "secret_rows": secret_rows,
        "asks_password_change": deliverable.type.code == "implementation_report"
        and version.state in ACCEPTED_STATES
        and version.passwords_changed_at is None
        and user.pk == project.customer_lead_id,
        "now": timezone.now(),
        "EventKind": EventKind,
    }


# Apps that know a deliverable's starting content provide it (the handover record copies the
# open problems of the operation problem log, for instance).
_INITIAL_CONTENT: dict[str, Callable[..., dict]] = {}


def register_initial_content(code: str, provider: Callable[..., dict]) -> None:
    _INITIAL_CONTENT[code] = provider


def initial_content(*, project, code: str) -> dict:
    """A first draft starts from what the system already knows (the team, for the directory)."""
    if code in _INITIAL_CONTENT:
        return _INITIAL_CONTENT[code](project=project)
    if code != "contact_directory":
        return {}
    members = project.members.select_related("user").order_by("side", "role", "id")
    return {
        "contacts": [
            {
                "side": member.side,
                "role": member.role,
                "name": display_name(member.user),
                "position": member.position,
                "mobile": member.mobile,
                "email": member.email or member.user.email,
            }
            for member in members
            if member.side in (Side.VENDOR, Side.CUSTOMER)
        ]
    }
