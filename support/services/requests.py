"""The lifecycle of a support request (SPEC §6), one service per step:

1. file (sales; the title is checked; the support_response clock starts, §5) — or, in an
   emergency, start (technical director's approval, engineer named) and file formally later;
2. accept (engineer, or the technical director assigning one; the response clock is met);
3. before work: briefing with sales (the engineer's response clock is met), the proposal's
   completion tier agreed (its clock starts), planning documents; then start work (met);
4. during work: the outcome (deviations, internal notes and effort: services.work);
5. complete (engineer; the sales_confirmation clock starts, §5) → sales confirms or disputes,
   or the sweep records completion by silence → close (technical director, against the signed form);
   cancel while the work is not completed.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
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
    EscalationPath,
    EventKind,
    PlanningDocumentKind,
    ProposalTier,
    RequestState,
    SupportRoleKind,
)
from ..models import Escalation, PlanningDocument, SupportRequest
from ..permissions import (
    is_assigned_engineer,
    user_can_file,
    user_can_start_emergency,
    user_has_role,
    user_is_technical_director,
)
from ..planning import planning_sections_initial
from ..selectors import (
    planning_document_get,
    service_form_for_support_request,
    support_request_completion_missing,
    support_request_work_start_missing,
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
    require_assigned_engineer,
    required_text,
    support_request_event_record,
    support_request_lock,
    support_request_notify,
    technical_directors,
)
from .clocks import STEP_RULES, support_request_proposal_clock_open, support_request_step_clocks_open


def _open_deadlines(support_request: SupportRequest, rules, *, lock: bool = True) -> list[Deadline]:
    """The request's open clocks of ``rules``; locked first (lock order: deadlines, then the request)."""
    deadlines = Deadline.objects.filter(
        target_type__app_label="support",
        target_type__model="supportrequest",
        target_id=support_request.pk,
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
    support_request = SupportRequest.objects.create(
        title=_checked_title(title=title, customer=customer, project=project, sales=user, now=now),
        customer=customer,
        project=project,
        sales=user,
        customer_contact=customer_contact,
        mode=mode,
        description=required_text(description, "description", _("Say what support is needed.")),
        request_date=local_date(now),
        filed_at=now,
        created_by=user,
    )
    support_request_event_record(support_request, EventKind.FILED, actor=user, meta=meta)
    directors = technical_directors()
    deadline_open(
        target=support_request,
        rule=RuleCode.SUPPORT_RESPONSE,
        started_at=now,
        clock=Clock.SUPPORT_RESPONSE,
        recipients=[*directors, user],
    )
    support_request_step_clocks_open(support_request, recipients=[*directors, user])
    support_request_notify(
        recipients=user_list_with_roles(*FILING_RECIPIENT_ROLES),
        verb=verbs.FILED,
        support_request=support_request,
        actor=user,
    )
    return support_request


@transaction.atomic
def support_request_emergency_start(
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
    support_request = SupportRequest.objects.create(
        state=RequestState.EMERGENCY,
        customer=customer,
        project=project,
        sales=sales,
        engineer=engineer,
        customer_contact=customer_contact,
        mode=mode,
        description=required_text(description, "description", _("Say what support is needed.")),
        is_emergency=True,
        emergency_approved_by=user,
        emergency_approved_at=now,
        emergency_reason=required_text(reason, "reason", _("Record why this cannot wait for the formal request.")),
        emergency_reminded_on=local_date(now),
        accepted_at=now,
        work_started_at=now,
        created_by=user,
    )
    support_request_event_record(
        support_request, EventKind.EMERGENCY_STARTED, actor=user, meta=meta, comment=support_request.emergency_reason
    )
    support_request_notify(
        recipients=[sales, engineer, *user_list_with_roles(*FILING_RECIPIENT_ROLES)],
        verb=verbs.EMERGENCY_STARTED,
        support_request=support_request,
        actor=user,
        sales=display_name(sales),
    )
    return support_request


@transaction.atomic
def support_request_file_formal(
    *,
    support_request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    customer_contact: AbstractUser | None = None,
    mode: str,
    description: str,
    title: str = "",
) -> SupportRequest:
    """The formal request after emergency work began: same title rule; the work goes on."""
    support_request = support_request_lock(support_request)
    check_transition(support_request.file_formal, user, _("This request has already been filed."))
    _check_customer_parts(
        customer=support_request.customer, project=support_request.project, customer_contact=customer_contact
    )
    now = timezone.now()
    support_request.title = _checked_title(
        title=title, customer=support_request.customer, project=support_request.project, sales=user, now=now
    )
    support_request.customer_contact = customer_contact
    support_request.mode = mode
    support_request.description = required_text(description, "description", _("Say what support is needed."))
    support_request.request_date = local_date(now)
    support_request.file_formal(at=now)
    support_request.save()
    support_request_event_record(support_request, EventKind.FILED, actor=user, meta=meta)
    support_request_notify(
        recipients=user_list_with_roles(*FILING_RECIPIENT_ROLES),
        verb=verbs.FILED,
        support_request=support_request,
        actor=user,
    )
    return support_request


# --- 2. response ----------------------------------------------------------------------------------
@transaction.atomic
def support_request_accept(
    *,
    support_request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    engineer: AbstractUser | None = None,
    note: str = "",
) -> SupportRequest:
    """The engineer's response (§5 support request response): the clock is met if still open."""
    deadline = lock_open_deadline(support_request, RuleCode.SUPPORT_RESPONSE)
    support_request = support_request_lock(support_request)
    check_transition(support_request.accept, user, _("This request is no longer waiting for an engineer."))
    if engineer is None:
        engineer = user
    if not user_has_role(engineer, SupportRoleKind.ENGINEER):
        raise ValidationError({"engineer": _("Choose a person with the support engineer role.")})
    if engineer.pk != user.pk and not user_is_technical_director(user):
        raise PermissionDenied
    support_request.accept(engineer=engineer, note=(note or "").strip(), at=timezone.now())
    support_request.save()
    if deadline is not None:
        deadline_mark_met(deadline=deadline, by=user)
    for step in _open_deadlines(support_request, STEP_RULES, lock=False):
        step.recipients.add(engineer)
    support_request_event_record(
        support_request, EventKind.ACCEPTED, actor=user, meta=meta, comment=support_request.response_note
    )
    support_request_notify(
        recipients=[support_request.sales, engineer, *technical_directors()],
        verb=verbs.ACCEPTED,
        support_request=support_request,
        actor=user,
    )
    return support_request


# --- 3. before work -------------------------------------------------------------------------------


@transaction.atomic
def support_request_briefing_record(
    *,
    support_request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    customer_situation: str,
    preparation: str,
    cautions: str,
) -> SupportRequest:
    """§6: before work the engineer talks to sales about the customer's situation, preparation,
    cautions; recording it is the engineer's response of the procedure's table (its clock is met)."""
    deadlines = _open_deadlines(support_request, [RuleCode.SUPPORT_ENGINEER_RESPONSE])
    support_request = support_request_lock(support_request)
    require_assigned_engineer(support_request, user, PLANNING_STATES, _("The briefing can no longer be changed."))
    message = _("This part of the briefing is required.")
    support_request.briefing_customer_situation = required_text(customer_situation, "customer_situation", message)
    support_request.briefing_preparation = required_text(preparation, "preparation", message)
    support_request.briefing_cautions = required_text(cautions, "cautions", message)
    support_request.briefing_recorded_at = timezone.now()
    support_request.save()
    _meet(deadlines, user)
    support_request_event_record(support_request, EventKind.BRIEFING_RECORDED, actor=user, meta=meta)
    return support_request


@transaction.atomic
def planning_document_save(
    *,
    support_request: SupportRequest,
    user: AbstractUser,
    meta: RequestMeta,
    kind: str,
    texts: dict[str, str],
    file: UploadedFile | None = None,
) -> PlanningDocument:
    """Write a planning document, started from its template's sections; a finished file may be
    attached. A complete proposal meets the proposal's agreed clock."""
    deadlines = (
        _open_deadlines(support_request, [RuleCode.SUPPORT_PROPOSAL]) if kind == PlanningDocumentKind.PROPOSAL else []
    )
    support_request = support_request_lock(support_request)
    require_assigned_engineer(
        support_request, user, PLANNING_STATES, _("The planning documents can no longer be changed.")
    )
    if kind not in PlanningDocumentKind.values:
        raise ValidationError(_("Unknown planning document."))
    document = PlanningDocument.objects.filter(request=support_request, kind=kind).first()
    if document is None:
        document = PlanningDocument(request=support_request, kind=kind, sections=planning_sections_initial(kind))
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
    support_request_event_record(
        support_request, EventKind.DOCUMENT_SAVED, actor=user, meta=meta, comment=document.get_kind_display()
    )
    return document


@transaction.atomic
def support_request_proposal_agree(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, tier: int
) -> Deadline:
    """ "方案完成时间商定": the engineer (or the technical director) records the tier agreed for the
    proposal's completion; its clock counts from the request's time. A new tier replaces the old."""
    deadlines = _open_deadlines(support_request, [RuleCode.SUPPORT_PROPOSAL])
    support_request = support_request_lock(support_request)
    if not (is_assigned_engineer(support_request, user) or user_is_technical_director(user)):
        raise PermissionDenied
    if (
        support_request.state not in (RequestState.ACCEPTED, RequestState.IN_PROGRESS)
        or support_request.filed_at is None
    ):
        raise ValidationError(_("The proposal's completion is agreed while the request is planned."))
    if not support_request.is_project_support:
        raise ValidationError(_("Only project support has a proposal."))
    if tier not in ProposalTier.values:
        raise ValidationError({"tier": _("Choose one of the agreed tiers.")})
    document = planning_document_get(support_request=support_request, kind=PlanningDocumentKind.PROPOSAL)
    if document is not None and document.is_complete:
        raise ValidationError(_("The proposal is already complete."))
    for old in deadlines:
        deadline_cancel(deadline=old, reason="another tier agreed", by=user)
    support_request.proposal_tier = tier
    support_request.proposal_agreed_at = timezone.now()
    support_request.save(update_fields=["proposal_tier", "proposal_agreed_at", "updated_at"])
    recipients = [*technical_directors(), support_request.sales, support_request.engineer]
    deadline = support_request_proposal_clock_open(support_request, tier=tier, recipients=recipients)
    due = deadline.due_date.isoformat()
    support_request_event_record(
        support_request, EventKind.PROPOSAL_AGREED, actor=user, meta=meta, comment=f"{tier} · {due}"
    )
    support_request_notify(
        recipients=recipients, verb=verbs.PROPOSAL_AGREED, support_request=support_request, actor=user, due=due
    )
    return deadline


@transaction.atomic
def support_request_work_start(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta
) -> SupportRequest:
    """The gate of §6 "Before work": briefing recorded and the kind's planning documents complete.
    Starting is the third step of the procedure's table (its clock is met)."""
    deadlines = _open_deadlines(support_request, [RuleCode.SUPPORT_WORK_START])
    support_request = support_request_lock(support_request)
    check_transition(support_request.start_work, user, _("Work can only start on an accepted request."))
    missing = support_request_work_start_missing(support_request=support_request)
    if missing:
        raise ValidationError(missing)
    support_request.start_work(at=timezone.now())
    support_request.save()
    _meet(deadlines, user)
    support_request_event_record(support_request, EventKind.WORK_STARTED, actor=user, meta=meta)
    return support_request


# --- 4. during work -------------------------------------------------------------------------------
@transaction.atomic
def support_request_outcome_record(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, outcome: str
) -> SupportRequest:
    support_request = support_request_lock(support_request)
    require_assigned_engineer(
        support_request, user, WORK_STATES, _("The outcome is recorded while the work is under way.")
    )
    form = service_form_for_support_request(support_request=support_request)
    if form is not None and form.is_signed:
        raise ValidationError(_("The service form is signed; the outcome it states can no longer change."))
    support_request.outcome = required_text(outcome, "outcome", _("Describe the outcome."))
    support_request.outcome_recorded_at = timezone.now()
    support_request.save()
    support_request_event_record(support_request, EventKind.OUTCOME_RECORDED, actor=user, meta=meta)
    return support_request


# --- 5. completion --------------------------------------------------------------------------------
@transaction.atomic
def support_request_complete(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta
) -> SupportRequest:
    """The engineer confirms completion; sales has one working day to reply (silence = complete, §5)."""
    support_request = support_request_lock(support_request)
    check_transition(support_request.complete, user, _("Only work in progress can be completed."))
    missing = support_request_completion_missing(
        support_request=support_request, form=service_form_for_support_request(support_request=support_request)
    )
    if missing:
        raise ValidationError(missing)
    now = timezone.now()
    support_request.complete(at=now)
    support_request.save()
    support_request_event_record(support_request, EventKind.COMPLETED, actor=user, meta=meta)
    deadline = deadline_open(
        target=support_request,
        rule=RuleCode.SALES_CONFIRMATION,
        started_at=now,
        recipients=[support_request.sales],
    )
    support_request_notify(
        recipients=[support_request.sales, *technical_directors()],
        verb=verbs.COMPLETED,
        support_request=support_request,
        actor=user,
        due=deadline.due_date.isoformat(),
    )
    return support_request


@transaction.atomic
def support_request_sales_confirm(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta
) -> SupportRequest:
    deadline = lock_open_deadline(support_request, RuleCode.SALES_CONFIRMATION)
    support_request = support_request_lock(support_request)
    if support_request.state == RequestState.CONFIRMED and support_request.confirmed_by_silence:
        raise ValidationError(_("The reply came too late: the work already counts as complete by silence."))
    check_transition(support_request.sales_confirm, user, _("This request is not waiting for your confirmation."))
    support_request.sales_confirm(by=user, at=timezone.now())
    support_request.save()
    if deadline is not None:
        deadline_mark_met(deadline=deadline, by=user)
    support_request_event_record(support_request, EventKind.SALES_CONFIRMED, actor=user, meta=meta)
    support_request_notify(
        recipients=[support_request.engineer, *technical_directors()],
        verb=verbs.CONFIRMED,
        support_request=support_request,
        actor=user,
    )
    return support_request


@transaction.atomic
def support_request_dispute(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, subject: str, description: str
) -> Escalation:
    """Sales does not accept the completion: the work goes back in progress and the dispute is
    escalated to the sales directors (§6 "Disputes escalate")."""
    deadline = lock_open_deadline(support_request, RuleCode.SALES_CONFIRMATION)
    support_request = support_request_lock(support_request)
    if support_request.state == RequestState.CONFIRMED and support_request.confirmed_by_silence:
        raise ValidationError(_("The reply came too late: the work already counts as complete by silence."))
    check_transition(support_request.dispute, user, _("This request is not waiting for your confirmation."))
    escalation = Escalation(
        request=support_request,
        path=EscalationPath.SALES_TO_SALES_DIRECTOR,
        subject=required_text(subject, "subject", _("Give the dispute a subject.")),
        description=required_text(description, "description", _("Say what is not complete.")),
        raised_by=user,
    )
    support_request.dispute()
    support_request.save()
    escalation.save()
    if deadline is not None:
        deadline_cancel(deadline=deadline, reason="completion disputed by sales", by=user)
    support_request_event_record(support_request, EventKind.DISPUTED, actor=user, meta=meta, comment=escalation.subject)
    support_request_notify(
        recipients=[support_request.engineer, *technical_directors(), *user_list_with_roles(*SALES_DIRECTOR_ROLES)],
        verb=verbs.DISPUTED,
        support_request=support_request,
        actor=user,
        subject=escalation.subject,
    )
    return escalation


@transaction.atomic
def support_request_close(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, form_checked: bool, note: str = ""
) -> SupportRequest:
    """§6: the technical director closes the request against the signed service form; its
    documents stay archived with it."""
    support_request = support_request_lock(support_request)
    check_transition(support_request.close, user, _("Only a request whose completion is confirmed can be closed."))
    form = service_form_for_support_request(support_request=support_request)
    if form is None or not form.is_signed:
        raise ValidationError(_("There is no signed support service form to close against."))
    if not form_checked:
        raise ValidationError({"form_checked": _("Confirm that you checked the signed service form.")})
    support_request.close(by=user, note=(note or "").strip(), at=timezone.now())
    support_request.save()
    support_request_event_record(
        support_request, EventKind.CLOSED, actor=user, meta=meta, comment=support_request.close_note
    )
    support_request_notify(
        recipients=[support_request.sales, support_request.engineer],
        verb=verbs.CLOSED,
        support_request=support_request,
        actor=user,
    )
    return support_request


@transaction.atomic
def support_request_cancel(
    *, support_request: SupportRequest, user: AbstractUser, meta: RequestMeta, reason: str
) -> SupportRequest:
    deadlines = _open_deadlines(support_request, [RuleCode.SUPPORT_RESPONSE, *STEP_RULES])
    support_request = support_request_lock(support_request)
    check_transition(support_request.cancel, user, _("This request can no longer be cancelled."))
    reason = required_text(reason, "reason", _("Give the reason for cancelling."))
    support_request.cancel(reason=reason, at=timezone.now())
    support_request.save()
    for deadline in deadlines:
        deadline_cancel(deadline=deadline, reason="support request cancelled", by=user)
    support_request_event_record(support_request, EventKind.CANCELLED, actor=user, meta=meta, comment=reason)
    support_request_notify(
        recipients=[support_request.sales, support_request.engineer, *technical_directors()],
        verb=verbs.CANCELLED,
        support_request=support_request,
        actor=user,
    )
    return support_request
