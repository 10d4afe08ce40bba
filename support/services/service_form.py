"""The support service form (§6 "Completion"): the customer signs it online, like a deliverable
(SPEC §3: typed full name, consent, password re-entry; IP address, user agent and the SHA-256 of
the exact content recorded), or the engineer uploads the signed paper form.

Signing starts the engineer's completion clock: confirm by the end of the next working day.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from deadlines.calendar import deadline_at, local_date
from delivery.files import file_sha256
from notifications.models import Notification
from sealing.credentials import signature_credentials_check
from sealing.fingerprint import canonical_sha256
from sealing.services import sealed_pdf_effect

from .. import verbs
from ..enums import TITLE_NO_PROJECT, EventKind, ServiceFormState
from ..models import ServiceForm, SupportRequest
from ..permissions import is_customer_contact
from ._common import (
    WORK_STATES,
    RequestMeta,
    display_name,
    require_assigned_engineer,
    support_request_event_record,
    support_request_lock,
    support_request_notify,
)


def service_form_content(support_request: SupportRequest, *, work_summary: str, hours: Decimal) -> dict:
    """What the customer signs: language-neutral values only, so the fingerprint never depends
    on who looks at it."""
    project = support_request.project
    return {
        "reference": support_request.reference,
        "title": support_request.title,
        "customer": support_request.customer.name,
        "project": f"{project.code} {project.name}" if project else TITLE_NO_PROJECT,
        "sales": display_name(support_request.sales),
        "engineer": display_name(support_request.engineer) if support_request.engineer else "",
        "customer_contact": display_name(support_request.customer_contact) if support_request.customer_contact else "",
        "mode": support_request.mode,
        "description": support_request.description,
        "outcome": support_request.outcome,
        "work_summary": work_summary,
        "hours": str(hours),
        "work_started": support_request.work_started_at.date().isoformat() if support_request.work_started_at else "",
    }


def service_form_content_sha256(content: dict) -> str:
    return canonical_sha256(content)


def _lock_form(support_request: SupportRequest) -> ServiceForm | None:
    return ServiceForm.objects.select_for_update().filter(request=support_request).first()


def _completion_clock(support_request: SupportRequest, *, signed_at) -> None:
    """§6: the engineer confirms completion by the end of the next working day after signing."""
    support_request.completion_due_at = deadline_at(signed_at, 1)
    support_request.completion_overdue_at = None
    support_request.save(update_fields=["completion_due_at", "completion_overdue_at", "updated_at"])


@transaction.atomic
def service_form_send(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, work_summary: str, hours: Decimal
) -> ServiceForm:
    """Freeze the form's content, fingerprint it, and ask the customer contact to sign."""
    support_request = support_request_lock(support_request)
    require_assigned_engineer(
        support_request, user, WORK_STATES, _("The service form is prepared while the work is under way.")
    )
    errors = []
    if not support_request.outcome_recorded_at:
        errors.append(_("Record the outcome first: the form states it."))
    if support_request.customer_contact_id is None:
        errors.append(_("The request has no customer contact to sign online; upload the signed paper form instead."))
    work_summary = (work_summary or "").strip()
    if not work_summary:
        errors.append(_("Describe the work done."))
    if hours is None or hours <= 0:
        errors.append(_("Enter the hours worked (more than 0)."))
    if errors:
        raise ValidationError(errors)
    form = _lock_form(support_request)
    if form is not None and form.is_signed:
        raise ValidationError(_("The service form is already signed."))
    if form is None:
        # Saved before the transition: the transition log refers to the row.
        form = ServiceForm.objects.create(request=support_request, prepared_by=user, work_summary=work_summary)
    resent = form.state == ServiceFormState.AWAITING_SIGNATURE
    form.work_summary = work_summary
    form.hours_on_site = hours
    content = service_form_content(support_request, work_summary=work_summary, hours=hours)
    form.send(content=content, sha256=service_form_content_sha256(content), at=timezone.now())
    form.save()
    kind = EventKind.FORM_RESENT if resent else EventKind.FORM_SENT
    support_request_event_record(support_request, kind, actor=user, meta=meta, comment=f"SHA-256 {form.sha256}")
    # Sent again: the contact is told once; an unread notice already points to the new content.
    if not (resent and _unread_notice(support_request, support_request.customer_contact)):
        support_request_notify(
            recipients=[support_request.customer_contact],
            verb=verbs.FORM_SENT,
            support_request=support_request,
            actor=user,
        )
    return form


def _unread_notice(support_request: SupportRequest, person) -> bool:
    return Notification.objects.filter(
        recipient=person,
        verb=verbs.FORM_SENT.code,
        target_type=ContentType.objects.get_for_model(SupportRequest),
        target_id=support_request.pk,
        read_at__isnull=True,
    ).exists()


@transaction.atomic
def service_form_sign(
    *,
    support_request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    typed_name: str,
    password: str,
    consent: bool,
) -> ServiceForm:
    """Sign the sent form. Two signatures racing end with one: the second finds it signed."""
    support_request = support_request_lock(support_request)
    if not is_customer_contact(support_request, user):
        raise PermissionDenied
    form = _lock_form(support_request)
    if form is None or form.state != ServiceFormState.AWAITING_SIGNATURE:
        raise ValidationError(_("This service form is not waiting for a signature."))
    signature_credentials_check(
        user=user,
        typed_name=typed_name,
        password=password,
        consent=consent,
        consent_message=_("Tick the box to confirm that you sign this service form."),
        meta=meta,
        project=support_request.project,
    )
    if service_form_content_sha256(form.content) != form.sha256:
        raise ValidationError(_("The form's content does not match its fingerprint; it cannot be signed."))
    now = timezone.now()
    form.sign(
        signer=user,
        typed_name=typed_name.strip(),
        at=now,
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
    )
    form.save()
    _completion_clock(support_request, signed_at=now)
    support_request_event_record(
        support_request, EventKind.FORM_SIGNED, actor=user, meta=meta, comment=f"SHA-256 {form.sha256}"
    )
    support_request_notify(
        recipients=[support_request.engineer],
        verb=verbs.FORM_SIGNED,
        support_request=support_request,
        actor=user,
        due=_due_day(support_request),
    )
    sealed_pdf_effect(form, kind="service_form")
    return form


def _due_day(support_request: SupportRequest) -> str:
    """The last day of the completion period (the clock ends at its 24:00)."""
    return local_date(support_request.completion_due_at - timedelta(microseconds=1)).isoformat()


@transaction.atomic
def service_form_record_paper(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, scan: UploadedFile
) -> ServiceForm:
    """The engineer uploads the scan of the service form the customer signed on paper."""
    support_request = support_request_lock(support_request)
    require_assigned_engineer(
        support_request, user, WORK_STATES, _("The service form is recorded while the work is under way.")
    )
    form = _lock_form(support_request)
    if form is not None and form.is_signed:
        raise ValidationError(_("The service form is already signed."))
    if form is None:
        form = ServiceForm.objects.create(
            request=support_request, prepared_by=user, work_summary=support_request.outcome
        )
    form.paper_sha256 = file_sha256(scan)
    form.paper_scan = scan
    form.paper_name = scan.name[:200]
    now = timezone.now()
    form.record_paper(by=user, at=now)
    form.save()
    _completion_clock(support_request, signed_at=now)
    support_request_event_record(
        support_request,
        EventKind.FORM_PAPER,
        actor=user,
        meta=meta,
        comment=f"{form.paper_name} SHA-256 {form.paper_sha256}",
    )
    return form
