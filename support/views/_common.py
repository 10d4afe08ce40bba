"""What every support view shares: the access helpers, the request page, what an action shows when refused."""

from __future__ import annotations

from collections.abc import Callable

from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from deadlines.selectors import deadline_list_for_target

from .. import services
from ..enums import (
    PLANNING_STATES,
    WORK_STATES,
    PlanningDocumentKind,
    RequestState,
    required_planning_documents,
)
from ..forms import (
    AcceptForm,
    BriefingForm,
    CancelForm,
    CloseForm,
    DeviationForm,
    DeviationResultForm,
    DisputeForm,
    EffortForm,
    EscalationForm,
    NoteForm,
    OutcomeForm,
    PaperFormForm,
    ProposalTierForm,
    ResolveForm,
    ServiceFormSendForm,
)
from ..models import SupportRequest
from ..permissions import (
    can_raise_escalation,
    can_resolve_escalation,
    can_write_internal,
    is_assigned_engineer,
    is_customer_contact,
    user_is_customer,
    user_is_technical_director,
)
from ..selectors import (
    service_form_for_support_request,
    support_request_completion_missing,
    support_request_get_for_user,
    support_request_internal_view,
    support_request_work_start_missing,
    user_can_see_effort,
)

PAGE_SIZE = 25


# --- access helpers -----------------------------------------------------------------------------
def meta_of(request: HttpRequest) -> services.RequestMeta:
    return services.RequestMeta.from_request(request)


def support_request_for(request: HttpRequest, pk: int) -> SupportRequest:
    return support_request_get_for_user(user=request.user, pk=pk)


def internal_request_for(request: HttpRequest, pk: int) -> SupportRequest:
    """The request for vendor-side work; customers get 404 (they never see internal parts)."""
    support_request = support_request_get_for_user(user=request.user, pk=pk)
    if user_is_customer(request.user):
        raise Http404
    return support_request


def page_forms(support_request: SupportRequest, user, form, bound: dict) -> dict:
    forms = {
        "accept": AcceptForm(can_assign=user_is_technical_director(user)),
        "briefing": BriefingForm(
            initial={
                "customer_situation": support_request.briefing_customer_situation,
                "preparation": support_request.briefing_preparation,
                "cautions": support_request.briefing_cautions,
            }
        ),
        "deviation": DeviationForm(),
        "devresult": DeviationResultForm(),
        "proposal": ProposalTierForm(initial={"tier": support_request.proposal_tier}),
        "outcome": OutcomeForm(initial={"outcome": support_request.outcome}),
        "note": NoteForm(),
        "serviceform": ServiceFormSendForm(
            initial={"work_summary": form.work_summary, "hours": form.hours_on_site} if form is not None else None
        ),
        "paper": PaperFormForm(),
        "dispute": DisputeForm(),
        "close": CloseForm(),
        "cancel": CancelForm(),
        "effort": EffortForm(initial={"engineer": support_request.engineer_id}),
        "escalation": EscalationForm(),
        "resolve": ResolveForm(),
    }
    forms.update(bound)
    return forms


def detail_response(request: HttpRequest, support_request: SupportRequest, bound: dict | None = None) -> HttpResponse:
    user = request.user
    form = service_form_for_support_request(support_request=support_request)
    context = {
        "support_request": support_request,
        "service_form": form,
        "is_customer": user_is_customer(user),
        "is_contact": is_customer_contact(support_request, user),
        "can_see_effort": user_can_see_effort(user),
    }
    if not context["is_customer"]:
        internal = support_request_internal_view(support_request=support_request)
        documents = {document.kind: document for document in internal.planning_documents}
        required = required_planning_documents(is_project=support_request.is_project_support)
        context.update(
            {
                "internal": internal,
                "transitions": {t.name for t in support_request.get_available_user_state_transitions(user)},
                "deadlines": list(deadline_list_for_target(target=support_request)),
                "required_documents": [
                    (kind, PlanningDocumentKind(kind).label, documents.get(kind)) for kind in required
                ],
                "extra_documents": [d for d in internal.planning_documents if d.kind not in required],
                "work_start_missing": support_request_work_start_missing(
                    support_request=support_request, documents=internal.planning_documents
                ),
                "completion_missing": support_request_completion_missing(support_request=support_request, form=form),
                "is_engineer": is_assigned_engineer(support_request, user),
                "can_plan": is_assigned_engineer(support_request, user) and support_request.state in PLANNING_STATES,
                "can_work": is_assigned_engineer(support_request, user) and support_request.state in WORK_STATES,
                "is_technical_director": user_is_technical_director(user),
                "is_sales": support_request.sales_id == user.pk,
                "can_agree_proposal": support_request.is_project_support
                and support_request.state in (RequestState.ACCEPTED, RequestState.IN_PROGRESS)
                and (is_assigned_engineer(support_request, user) or user_is_technical_director(user)),
                "can_write_internal": can_write_internal(support_request, user),
                "escalation_path": can_raise_escalation(support_request, user),
                "resolvable": {e.pk for e in internal.escalations if can_resolve_escalation(e.path, user)},
                "forms": page_forms(support_request, user, form, bound or {}),
            }
        )
    return render(request, "support/request_detail.html", context)


def page_failed(request: HttpRequest, pk: int, name: str) -> Callable[[Form], HttpResponse]:
    """For ``action_run``: the request page again, the bound form under ``name`` with its errors."""

    def failed(form: Form) -> HttpResponse:
        return detail_response(request, internal_request_for(request, pk), {name: form})

    return failed


# A concurrent action on the same request (django-fsm's optimistic lock) is refused like a rule is.
CONCURRENT = {ConcurrentTransition: lambda _error: _("Someone else changed this request meanwhile. Please look again.")}
