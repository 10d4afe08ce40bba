"""The lifecycle of a support request (SPEC §6), one service per step:

1. file (sales; the title is checked; the support_response clock starts, §5) — or, in an
   emergency, start (technical director's approval, engineer named) and file formally later;
2. accept (engineer, or the technical director assigning one; the response clock is met);
3. before work: briefing with sales (the engineer's response clock is met), the proposal's
   completion tier agreed (its clock starts), planning documents; then start work (met);
4. during work: deviations, outcome, internal notes;
5. complete (engineer; the sales_confirmation clock starts, §5) → sales confirms or disputes,
   or the sweep records completion by silence → close (technical director, against the signed form);
   cancel while the work is not completed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import Organization
from deadlines.calendar import local_date
from deadlines.enums import Clock, DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.services import deadline_cancel, deadline_mark_met, deadline_open
from delivery.files import file_sha256
from projects.models import Project

from .. import verbs
from ..enums import (
    FILING_RECIPIENT_ROLES,
    SALES_DIRECTOR_ROLES,
    DeviationKind,
    DeviationResult,
    EscalationPath,
    EventKind,
    PlanningDocumentKind,
    ProposalTier,
    RequestState,
    SupportRoleKind,
)
from ..models import Deviation, EffortAccount, Escalation, InternalNote, PlanningDocument, SupportRequest
from ..permissions import (
    can_write_internal,
    is_assigned_engineer,
    user_can_file,
    user_can_start_emergency,
    user_has_role,
    user_is_technical_director,
)
from ..planning import planning_sections_initial
from ..selectors import (
    planning_document_get,
    request_completion_missing,
    request_work_start_missing,
    service_form_for_request,
    user_list_with_roles,
)
from ..titles import TitleParts, title_problems
from ._common import (
    PLANNING_STATES,
    WORK_STATES,
    RequestMeta,
    check_transition,
    display_name,
    lock_open_deadline,
    lock_request,
    notify,
    record_event,
    require_assigned_engineer,
)
from .clocks import STEP_RULES, support_proposal_clock_open, support_step_clocks_open


def _technical_directors():
    return list(user_list_with_roles(SupportRoleKind.TECHNICAL_DIRECTOR))


def _open_deadlines(request: SupportRequest, rules, *, lock: bool = True) -> list[Deadline]:
    """The request's open clocks of ``rules``; locked first (lock order: deadlines, then the request)."""
    deadlines = Deadline.objects.filter(
        target_type__app_label="support",
        target_type__model="supportrequest",
        target_id=request.pk,
        rule__in=[str(rule) for rule in rules],
        status=DeadlineStatus.OPEN,
    ).order_by("id")
    return list(deadlines.select_for_update() if lock else deadlines)


def _meet(deadlines: list[Deadline], user: AbstractUser) -> None:
    for deadline in deadlines:
        deadline_mark_met(deadline=deadline, by=user)


def _check_customer_parts(*, customer: Organization, project, customer_contact) -> None:
    errors = {}
    if project is not None and project.customer_id != customer.pk:
        errors["project"] = _("This project belongs to another customer.")
    if customer_contact is not None and getattr(customer_contact.profile, "organization_id", None) != customer.pk:
        errors["customer_contact"] = _("The customer contact must be a person of the customer organisation.")
    if errors:
        raise ValidationError(errors)


def _checked_title(*, title: str, customer: Organization, project, sales: AbstractUser, now) -> str:
    """§6: a request without the proper title is refused, saying which part is wrong."""
    expected = TitleParts.build(customer=customer, project=project, sales=sales, day=local_date(now))
    problems = title_problems(title or expected.title, expected=expected)
    if problems:
        raise ValidationError({"title": problems})
    return expected.title


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# --- 1. filing ----------------------------------------------------------------------------------
@transaction.atomic
def support_request_file(
    *,
    user: AbstractUser,
    meta: RequestMeta,
    customer: Organization,
    project: Project | None = None,
    customer_contact: AbstractUser | None = None,
    mode: str,
    description: str,
    title: str = "",
) -> SupportRequest:
    """Sales files a request; the response clock starts now (§5: before 12:00 → same working day)."""
    if not user_can_file(user):
        raise PermissionDenied
    _check_customer_parts(customer=customer, project=project, customer_contact=customer_contact)
    now = timezone.now()
    request = SupportRequest.objects.create(
        title=_checked_title(title=title, customer=customer, project=project, sales=user, now=now),
        customer=customer,
        project=project,
        sales=user,
        customer_contact=customer_contact,
        mode=mode,
        description=_required(description, "description", _("Say what support is needed.")),
        request_date=local_date(now),
        filed_at=now,
        created_by=user,
    )
    record_event(request, EventKind.FILED, actor=user, meta=meta)
    directors = _technical_directors()
    deadline_open(
        target=request,
        rule=RuleCode.SUPPORT_RESPONSE,
        started_at=now,
        clock=Clock.SUPPORT_RESPONSE,
        recipients=[*directors, user],
    )
    support_step_clocks_open(request, recipients=[*directors, user])
    notify(recipients=user_list_with_roles(*FILING_RECIPIENT_ROLES), verb=verbs.FILED, request=request, actor=user)
    return request


@transaction.atomic
def support_emergency_start(
    *,
    user: AbstractUser,
    meta: RequestMeta,
    customer: Organization,
    project: Project | None = None,
    sales: AbstractUser,
    engineer: AbstractUser,
    customer_contact: AbstractUser | None = None,
    mode: str,
    description: str,
    reason: str,
) -> SupportRequest:
    """§6: in an emergency the work starts on the technical director's recorded approval; the
    named sales person is reminded every working day until the formal request is filed."""
    if not user_can_start_emergency(user):
        raise PermissionDenied
    _check_customer_parts(customer=customer, project=project, customer_contact=customer_contact)
    errors = {}
    if not user_has_role(sales, SupportRoleKind.SALES):
        errors["sales"] = _("Choose a person with the sales role: they file the formal request.")
    if not user_has_role(engineer, SupportRoleKind.ENGINEER):
        errors["engineer"] = _("Choose a person with the support engineer role.")
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    request = SupportRequest.objects.create(
        state=RequestState.EMERGENCY,
        customer=customer,
        project=project,
        sales=sales,
        engineer=engineer,
        customer_contact=customer_contact,
        mode=mode,
        description=_required(description, "description", _("Say what support is needed.")),
        is_emergency=True,
        emergency_approved_by=user,
        emergency_approved_at=now,
        emergency_reason=_required(reason, "reason", _("Record why this cannot wait for the formal request.")),
        emergency_reminded_on=local_date(now),
        accepted_at=now,
        work_started_at=now,
        created_by=user,
    )
    record_event(request, EventKind.EMERGENCY_STARTED, actor=user, meta=meta, comment=request.emergency_reason)
    notify(
        recipients=[sales, engineer, *user_list_with_roles(*FILING_RECIPIENT_ROLES)],
        verb=verbs.EMERGENCY_STARTED,
        request=request,
        actor=user,
        sales=display_name(sales),
    )
    return request


@transaction.atomic
def support_request_file_formal(
    *,
    request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    customer_contact: AbstractUser | None = None,
    mode: str,
    description: str,
    title: str = "",
) -> SupportRequest:
    """The formal request after emergency work began: same title rule; the work goes on."""
    request = lock_request(request)
    check_transition(request.file_formal, user, _("This request has already been filed."))
    _check_customer_parts(customer=request.customer, project=request.project, customer_contact=customer_contact)
    now = timezone.now()
    request.title = _checked_title(title=title, customer=request.customer, project=request.project, sales=user, now=now)
    request.customer_contact = customer_contact
    request.mode = mode
    request.description = _required(description, "description", _("Say what support is needed."))
    request.request_date = local_date(now)
    request.file_formal(at=now)
    request.save()
    record_event(request, EventKind.FILED, actor=user, meta=meta)
    notify(recipients=user_list_with_roles(*FILING_RECIPIENT_ROLES), verb=verbs.FILED, request=request, actor=user)
    return request


# --- 2. response ----------------------------------------------------------------------------------
@transaction.atomic
def support_request_accept(
    *,
    request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    engineer: AbstractUser | None = None,
    note: str = "",
) -> SupportRequest:
    """The engineer's response (§5 support request response): the clock is met if still open."""
    deadline = lock_open_deadline(request, RuleCode.SUPPORT_RESPONSE)
    request = lock_request(request)
    check_transition(request.accept, user, _("This request is no longer waiting for an engineer."))
    if engineer is None:
        engineer = user
    if not user_has_role(engineer, SupportRoleKind.ENGINEER):
        raise ValidationError({"engineer": _("Choose a person with the support engineer role.")})
    if engineer.pk != user.pk and not user_is_technical_director(user):
        raise PermissionDenied
    request.accept(engineer=engineer, note=(note or "").strip(), at=timezone.now())
    request.save()
    if deadline is not None:
        deadline_mark_met(deadline=deadline, by=user)
    for step in _open_deadlines(request, STEP_RULES, lock=False):
        step.recipients.add(engineer)
    record_event(request, EventKind.ACCEPTED, actor=user, meta=meta, comment=request.response_note)
    notify(
        recipients=[request.sales, engineer, *_technical_directors()],
        verb=verbs.ACCEPTED,
        request=request,
        actor=user,
    )
    return request


# --- 3. before work -------------------------------------------------------------------------------


@transaction.atomic
def support_briefing_record(
    *,
    request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    customer_situation: str,
    preparation: str,
    cautions: str,
) -> SupportRequest:
    """§6: before work the engineer talks to sales about the customer's situation, preparation,
    cautions; recording it is the engineer's response of the procedure's table (its clock is met)."""
    deadlines = _open_deadlines(request, [RuleCode.SUPPORT_ENGINEER_RESPONSE])
    request = lock_request(request)
    require_assigned_engineer(request, user, PLANNING_STATES, _("The briefing can no longer be changed."))
    message = _("This part of the briefing is required.")
    request.briefing_customer_situation = _required(customer_situation, "customer_situation", message)
    request.briefing_preparation = _required(preparation, "preparation", message)
    request.briefing_cautions = _required(cautions, "cautions", message)
    request.briefing_recorded_at = timezone.now()
    request.save()
    _meet(deadlines, user)
    record_event(request, EventKind.BRIEFING_RECORDED, actor=user, meta=meta)
    return request


@transaction.atomic
def planning_document_save(
    *,
    request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    kind: str,
    texts: dict[str, str],
    file: UploadedFile | None = None,
) -> PlanningDocument:
    """Write a planning document, started from its template's sections; a finished file may be
    attached. A complete proposal meets the proposal's agreed clock."""
    deadlines = _open_deadlines(request, [RuleCode.SUPPORT_PROPOSAL]) if kind == PlanningDocumentKind.PROPOSAL else []
    request = lock_request(request)
    require_assigned_engineer(request, user, PLANNING_STATES, _("The planning documents can no longer be changed."))
    if kind not in PlanningDocumentKind.values:
        raise ValidationError(_("Unknown planning document."))
    document = PlanningDocument.objects.filter(request=request, kind=kind).first()
    if document is None:
        document = PlanningDocument(request=request, kind=kind, sections=planning_sections_initial(kind))
    document.sections = [
        {**section, "text": (texts.get(section["key"]) or "").strip()} for section in document.sections
    ]
    if file is not None:
        document.file = file
        document.file_name = file.name[:200]
        document.file_sha256 = file_sha256(file)
    document.updated_by = user
    document.save()
    if document.is_complete:
        _meet(deadlines, user)
    record_event(request, EventKind.DOCUMENT_SAVED, actor=user, meta=meta, comment=document.get_kind_display())
    return document


@transaction.atomic
def support_proposal_agree(*, request: SupportRequest, user: AbstractUser, meta: RequestMeta, tier: int) -> Deadline:
    """ "方案完成时间商定": the engineer (or the technical director) records the tier agreed for the
    proposal's completion; its clock counts from the request's time. A new tier replaces the old."""
    deadlines = _open_deadlines(request, [RuleCode.SUPPORT_PROPOSAL])
    request = lock_request(request)
    if not (is_assigned_engineer(request, user) or user_is_technical_director(user)):
        raise PermissionDenied
    if request.state not in (RequestState.ACCEPTED, RequestState.IN_PROGRESS) or request.filed_at is None:
        raise ValidationError(_("The proposal's completion is agreed while the request is planned."))
    if not request.is_project_support:
        raise ValidationError(_("Only project support has a proposal."))
    if tier not in ProposalTier.values:
        raise ValidationError({"tier": _("Choose one of the agreed tiers.")})
    document = planning_document_get(request=request, kind=PlanningDocumentKind.PROPOSAL)
    if document is not None and document.is_complete:
        raise ValidationError(_("The proposal is already complete."))
    for old in deadlines:
        deadline_cancel(deadline=old, reason="another tier agreed", by=user)
    request.proposal_tier = tier
    request.proposal_agreed_at = timezone.now()
    request.save(update_fields=["proposal_tier", "proposal_agreed_at", "updated_at"])
    recipients = [*_technical_directors(), request.sales, request.engineer]
    deadline = support_proposal_clock_open(request, tier=tier, recipients=recipients)
    due = deadline.due_date.isoformat()
    record_event(request, EventKind.PROPOSAL_AGREED, actor=user, meta=meta, comment=f"{tier} · {due}")
    notify(recipients=recipients, verb=verbs.PROPOSAL_AGREED, request=request, actor=user, due=due)
    return deadline


@transaction.atomic
def support_work_start(*, request: SupportRequest, user: AbstractUser, meta: RequestMeta) -> SupportRequest:
    """The gate of §6 "Before work": briefing recorded and the kind's planning documents complete.
    Starting is the third step of the procedure's table (its clock is met)."""
    deadlines = _open_deadlines(request, [RuleCode.SUPPORT_WORK_START])
    request = lock_request(request)
    check_transition(request.start_work, user, _("Work can only start on an accepted request."))
    missing = request_work_start_missing(request=request)
    if missing:
        raise ValidationError(missing)
    request.start_work(at=timezone.now())
    request.save()
    _meet(deadlines, user)
    record_event(request, EventKind.WORK_STARTED, actor=user, meta=meta)
    return request


# --- 4. during work -------------------------------------------------------------------------------
@transaction.atomic
def deviation_report(
    *, request: SupportRequest, user: AbstractUser, meta: RequestMeta, kind: str, description: str
) -> Deviation:
    """§6: a deviation (effort, products sold, company interest) goes to sales and the technical director."""
    request = lock_request(request)
    require_assigned_engineer(request, user, PLANNING_STATES, _("Deviations are reported while the work is under way."))
    if kind not in DeviationKind.values:
        raise ValidationError({"kind": _("Choose what the deviation is about.")})
    deviation = Deviation.objects.create(
        request=request,
        kind=kind,
        description=_required(description, "description", _("Describe the deviation.")),
        reported_by=user,
    )
    record_event(request, EventKind.DEVIATION_REPORTED, actor=user, meta=meta, comment=deviation.description)
    with translation.override(settings.LANGUAGE_CODE):
        kind_label = str(DeviationKind(kind).label)
    notify(
        recipients=[request.sales, *_technical_directors()],
        verb=verbs.DEVIATION,
        request=request,
        actor=user,
        kind=kind_label,
    )
    return deviation


@transaction.atomic
def deviation_result_record(
    *, deviation: Deviation, user: AbstractUser, meta: RequestMeta, result: str, note: str
) -> Deviation:
    """§6: sales records the result agreed for a deviation; it goes to the technical director."""
    request = lock_request(deviation.request)
    deviation = Deviation.objects.select_for_update().get(pk=deviation.pk, request=request)
    if request.sales_id != user.pk:
        raise PermissionDenied
    if request.state not in PLANNING_STATES and request.state != RequestState.COMPLETED:
        raise ValidationError(_("The request is no longer under way."))
    if deviation.result:
        raise ValidationError(_("The result of this deviation is already recorded."))
    if result not in DeviationResult.values:
        raise ValidationError({"result": _("Choose the agreed result.")})
    deviation.result = result
    deviation.result_note = _required(note, "note", _("Say what was agreed."))
    deviation.result_by = user
    deviation.result_at = timezone.now()
    deviation.save()
    with translation.override(settings.LANGUAGE_CODE):
        result_label = str(DeviationResult(result).label)
    record_event(
        request, EventKind.DEVIATION_RESULT, actor=user, meta=meta, comment=f"{result_label}: {deviation.result_note}"
    )
    notify(
        recipients=[*_technical_directors(), request.engineer],
        verb=verbs.DEVIATION_RESULT,
        request=request,
        actor=user,
        result=result_label,
    )
    return deviation


@transaction.atomic
def outcome_record(*, request: SupportRequest, user: AbstractUser, meta: RequestMeta, outcome: str) -> SupportRequest:
    request = lock_request(request)
    require_assigned_engineer(request, user, WORK_STATES, _("The outcome is recorded while the work is under way."))
    form = service_form_for_request(request=request)
    if form is not None and form.is_signed:
        raise ValidationError(_("The service form is signed; the outcome it states can no longer change."))
    request.outcome = _required(outcome, "outcome", _("Describe the outcome."))
    request.outcome_recorded_at = timezone.now()
    request.save()
    record_event(request, EventKind.OUTCOME_RECORDED, actor=user, meta=meta)
    return request


@transaction.atomic
def internal_note_add(*, request: SupportRequest, user: AbstractUser, text: str) -> InternalNote:
    """A vendor-side note; customers never see these."""
    if not can_write_internal(request, user):
        raise PermissionDenied
    return InternalNote.objects.create(
        request=request, author=user, text=_required(text, "text", _("The note is empty."))
    )


# --- 5. completion --------------------------------------------------------------------------------
@transaction.atomic
def support_request_complete(*, request: SupportRequest, user: AbstractUser, meta: RequestMeta) -> SupportRequest:
    """The engineer confirms completion; sales has one working day to reply (silence = complete, §5)."""
    request = lock_request(request)
    check_transition(request.complete, user, _("Only work in progress can be completed."))
    missing = request_completion_missing(request=request, form=service_form_for_request(request=request))
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    request.complete(at=now)
    request.save()
    record_event(request, EventKind.COMPLETED, actor=user, meta=meta)
    deadline = deadline_open(
        target=request,
        rule=RuleCode.SALES_CONFIRMATION,
        started_at=now,
        working_days=1,
        recipients=[request.sales],
    )
    notify(
        recipients=[request.sales, *_technical_directors()],
        verb=verbs.COMPLETED,
        request=request,
        actor=user,
        due=deadline.due_date.isoformat(),
    )
    return request


@transaction.atomic
def support_request_sales_confirm(*, request: SupportRequest, user: AbstractUser, meta: RequestMeta) -> SupportRequest:
    deadline = lock_open_deadline(request, RuleCode.SALES_CONFIRMATION)
    request = lock_request(request)
    if request.state == RequestState.CONFIRMED and request.confirmed_by_silence:
        raise ValidationError(_("The reply came too late: the work already counts as complete by silence."))
    check_transition(request.sales_confirm, user, _("This request is not waiting for your confirmation."))
    request.sales_confirm(by=user, at=timezone.now())
    request.save()
    if deadline is not None:
        deadline_mark_met(deadline=deadline, by=user)
    record_event(request, EventKind.SALES_CONFIRMED, actor=user, meta=meta)
    notify(recipients=[request.engineer, *_technical_directors()], verb=verbs.CONFIRMED, request=request, actor=user)
    return request


@transaction.atomic
def support_request_dispute(
    *, request: SupportRequest, user: AbstractUser, meta: RequestMeta, subject: str, description: str
) -> Escalation:
    """Sales does not accept the completion: the work goes back in progress and the dispute is
    escalated to the sales directors (§6 "Disputes escalate")."""
    deadline = lock_open_deadline(request, RuleCode.SALES_CONFIRMATION)
    request = lock_request(request)
    if request.state == RequestState.CONFIRMED and request.confirmed_by_silence:
        raise ValidationError(_("The reply came too late: the work already counts as complete by silence."))
    check_transition(request.dispute, user, _("This request is not waiting for your confirmation."))
    escalation = Escalation(
        request=request,
        path=EscalationPath.SALES_TO_SALES_DIRECTOR,
        subject=_required(subject, "subject", _("Give the dispute a subject.")),
        description=_required(description, "description", _("Say what is not complete.")),
        raised_by=user,
    )
    request.dispute()
    request.save()
    escalation.save()
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason="completion disputed by sales", by=user)
    record_event(request, EventKind.DISPUTED, actor=user, meta=meta, comment=escalation.subject)
    notify(
        recipients=[request.engineer, *_technical_directors(), *user_list_with_roles(*SALES_DIRECTOR_ROLES)],
        verb=verbs.DISPUTED,
        request=request,
        actor=user,
        subject=escalation.subject,
    )
    return escalation


@transaction.atomic
def support_request_close(
    *, request: SupportRequest, user: AbstractUser, meta: RequestMeta, form_checked: bool, note: str = ""
) -> SupportRequest:
    """§6: the technical director closes the request against the signed service form; its
    documents stay archived with it."""
    request = lock_request(request)
    check_transition(request.close, user, _("Only a request whose completion is confirmed can be closed."))
    form = service_form_for_request(request=request)
    if form is None or not form.is_signed:
        raise ValidationError(_("There is no signed support service form to close against."))
    if not form_checked:
        raise ValidationError({"form_checked": _("Confirm that you checked the signed service form.")})
    request.close(by=user, note=(note or "").strip(), at=timezone.now())
    request.save()
    record_event(request, EventKind.CLOSED, actor=user, meta=meta, comment=request.close_note)
    notify(recipients=[request.sales, request.engineer], verb=verbs.CLOSED, request=request, actor=user)
    return request


@transaction.atomic
def support_request_cancel(
    *, request: SupportRequest, user: AbstractUser, meta: RequestMeta, reason: str
) -> SupportRequest:
    deadlines = _open_deadlines(request, [RuleCode.SUPPORT_RESPONSE, *STEP_RULES])
    request = lock_request(request)
    check_transition(request.cancel, user, _("This request can no longer be cancelled."))
    reason = _required(reason, "reason", _("Give the reason for cancelling."))
    request.cancel(reason=reason, at=timezone.now())
    request.save()
    for deadline in deadlines:
        deadline_cancel(deadline=deadline, reason="support request cancelled", by=user)
    record_event(request, EventKind.CANCELLED, actor=user, meta=meta, comment=reason)
    notify(
        recipients=[request.sales, request.engineer, *_technical_directors()],
        verb=verbs.CANCELLED,
        request=request,
        actor=user,
    )
    return request


# --- effort ---------------------------------------------------------------------------------------
@transaction.atomic
def effort_account_set(
    *,
    request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    engineer: AbstractUser,
    estimated_hours: Decimal,
    accounted_hours: Decimal | None = None,
) -> EffortAccount:
    """§6: the technical director sets the estimated and the accounted effort per engineer."""
    if not user_is_technical_director(user):
        raise PermissionDenied
    errors = {}
    if estimated_hours is None or estimated_hours < 0:
        errors["estimated_hours"] = _("Enter the estimated hours (0 or more).")
    if accounted_hours is not None and accounted_hours < 0:
        errors["accounted_hours"] = _("Accounted hours cannot be negative.")
    if not user_has_role(engineer, SupportRoleKind.ENGINEER):
        errors["engineer"] = _("Choose a person with the support engineer role.")
    if errors:
        raise ValidationError(errors)
    account, _created = EffortAccount.objects.update_or_create(
        request=request,
        engineer=engineer,
        defaults={
            "estimated_hours": estimated_hours,
            "accounted_hours": accounted_hours,
            "set_by": user,
            "set_at": timezone.now(),
        },
    )
    comment = f"{display_name(engineer)}: {estimated_hours} / {accounted_hours if accounted_hours is not None else '-'}"
    record_event(request, EventKind.EFFORT_SET, actor=user, meta=meta, comment=comment)
    return account
