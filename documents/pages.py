"""Context shared by the version pages, and the starting content of a first draft."""

from __future__ import annotations

from django.utils import timezone

from delivery.people import display_name
from projects.enums import Side
from sealing.enums import PdfStatus

from . import hooks
from .content import content_display
from .enums import DeliverableCode, EventKind, SignerState, VersionState
from .gantt import gantt_for_plan
from .permissions import (
    user_can_edit_version,
    user_can_record_version_offline,
    user_can_sign_version,
    user_can_start_new_version,
    user_can_submit_version,
    user_is_asked_to_change_passwords,
    user_is_vendor,
)
from .plan_checks import plan_warnings
from .selectors import version_event_list, version_siblings, version_signers


def version_page_context(*, version, user) -> dict:
    deliverable = version.deliverable
    project = deliverable.project
    fields, tables = content_display(type_code=deliverable.type.code, content=version.content)
    siblings = version_siblings(version=version, user=user)
    versions = siblings.visible
    is_plan = deliverable.type.code == DeliverableCode.PROJECT_PLAN
    secret_rows = []
    if deliverable.type.code == DeliverableCode.IMPLEMENTATION_REPORT:
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
        "events": version_event_list(version=version),
        "previous_accepted": siblings.previous_accepted,
        "returned_before": siblings.returned_before,
        "can_edit": user_can_edit_version(version, user),
        "can_submit": user_can_submit_version(version, user),
        "can_record_offline": user_can_record_version_offline(version, user),
        "can_sign": user_can_sign_version(version, user),
        "signers": version_signers(version),
        "SignerState": SignerState,
        "can_start_new": version.state not in (VersionState.DRAFT, VersionState.SUBMITTED)
        and user_can_start_new_version(version, user, open_version_exists=siblings.open_version_exists),
        "is_vendor": user_is_vendor(user),
        "pdf_ready": version.pdf_status == PdfStatus.READY,
        "pdf_pending": version.pdf_status == PdfStatus.PENDING,
        "secret_rows": secret_rows,
        "asks_password_change": user_is_asked_to_change_passwords(version, user),
        "now": timezone.now(),
        "EventKind": EventKind,
    }


def initial_content(*, project, code: str) -> dict:
    """A first draft starts from what the system already knows (the team, for the directory)."""
    provider = hooks.initial_content_provider(code)
    if provider is not None:
        return provider(project=project)
    if code != DeliverableCode.CONTACT_DIRECTORY:
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
