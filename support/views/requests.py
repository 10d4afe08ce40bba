"""Filing, emergency approval and the request page with its planning and work actions (§6)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import has_transition_perm

from accounts.selectors import user_access
from delivery.actions import action_run
from delivery.files import stored_file_response
from delivery.forms import form_add_service_error
from delivery.pagecache import served_again_until_data_changes

from .. import services
from ..enums import (
    PLANNING_STATES,
    PlanningDocumentKind,
    RequestState,
    SupportRoleKind,
)
from ..forms import (
    AcceptForm,
    BriefingForm,
    DeviationForm,
    DeviationResultForm,
    EmergencyForm,
    FormalFilingForm,
    NoteForm,
    OutcomeForm,
    PlanningDocumentForm,
    ProposalTierForm,
    RequestFilterForm,
    SupportRequestForm,
)
from ..permissions import (
    is_assigned_engineer,
    user_can_file,
    user_can_start_emergency,
    user_is_customer,
    user_is_technical_director,
    user_support_roles,
)
from ..planning import planning_sections_initial
from ..selectors import (
    planning_document_get,
    role_granters,
    support_request_list_filtered,
    user_can_see_effort,
)
from ._common import (
    CONCURRENT,
    PAGE_SIZE,
    detail_response,
    internal_request_for,
    meta_of,
    page_failed,
    support_request_for,
)
from .settings import role_needed


# --- list, filing, emergency --------------------------------------------------------------------
@login_required
@served_again_until_data_changes
def request_list(request: HttpRequest) -> HttpResponse:
    form = RequestFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    requests = support_request_list_filtered(
        user=request.user, state=filters.get("state") or "", mine=bool(filters.get("mine"))
    )
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    # A vendor person without a support role sees which roles the procedure has and who grants them.
    has_no_role = not user_access(request.user).is_admin and not user_is_customer(request.user)
    has_no_role = has_no_role and not user_support_roles(request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "support/request_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_file": user_can_file(request.user),
            "can_start_emergency": user_can_start_emergency(request.user),
            "is_customer": user_is_customer(request.user),
            "can_see_effort": user_can_see_effort(request.user),
            "has_no_role": has_no_role,
            "granters": role_granters() if has_no_role else [],
        },
    )


@login_required
def request_create(request: HttpRequest) -> HttpResponse:
    if not user_can_file(request.user):
        return role_needed(request, SupportRoleKind.SALES)
    form = SupportRequestForm(request.POST or None, sales=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            support_request = services.support_request_file(
                user=request.user,
                meta=meta_of(request),
                customer=data["customer"],
                project=data["project"],
                customer_contact=data["customer_contact"],
                mode=data["mode"],
                description=data["description"],
                title=data["title"],
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Request filed. The response clock has started."))
            return redirect(support_request)
    return render(request, "support/request_form.html", {"form": form, "title_data": form.title_data()})


@login_required
def emergency_start(request: HttpRequest) -> HttpResponse:
    if not user_can_start_emergency(request.user):
        return role_needed(request, SupportRoleKind.TECHNICAL_DIRECTOR)
    form = EmergencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            support_request = services.support_request_emergency_start(
                user=request.user, meta=meta_of(request), **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(
                request, _("Emergency work approved. Sales is reminded until the formal request is filed.")
            )
            return redirect(support_request)
    return render(request, "support/emergency_form.html", {"form": form})


@login_required
def request_file_formal(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    if support_request.state != RequestState.EMERGENCY:
        messages.info(request, _("This request has already been filed."))
        return redirect(support_request)
    if not has_transition_perm(support_request.file_formal, request.user):
        raise PermissionDenied
    form = FormalFilingForm(request.POST or None, support_request=support_request, sales=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_request_file_formal(
                support_request=support_request, user=request.user, meta=meta_of(request), **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Formal request filed."))
            return redirect(support_request)
    return render(request, "support/formal_form.html", {"form": form, "support_request": support_request})


# --- the request page ---------------------------------------------------------------------------
@login_required
@served_again_until_data_changes
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = support_request_for(request, pk)
    return detail_response(request, support_request)


@login_required
@require_POST
def request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_accept,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=AcceptForm(request.POST, request.FILES or None, can_assign=user_is_technical_director(request.user)),
        failed=page_failed(request, pk, "accept"),
        refusals=CONCURRENT,
        success=_("Accepted. The response is recorded."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_briefing(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_briefing_record,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=BriefingForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "briefing"),
        refusals=CONCURRENT,
        success=_("Briefing recorded."),
        done=redirect(support_request),
    )


@login_required
def planning_document(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    if kind not in PlanningDocumentKind.values:
        raise Http404
    document = planning_document_get(support_request=support_request, kind=kind)
    sections = document.sections if document is not None else planning_sections_initial(kind)
    form = PlanningDocumentForm(request.POST or None, request.FILES or None, sections=sections)
    editable = is_assigned_engineer(support_request, request.user) and support_request.state in PLANNING_STATES
    if request.method == "POST" and form.is_valid():
        try:
            services.planning_document_save(
                support_request=support_request,
                user=request.user,
                meta=meta_of(request),
                kind=kind,
                texts=form.texts(),
                file=form.cleaned_data.get("file"),
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Planning document saved."))
            return redirect(support_request)
    context = {
        "support_request": support_request,
        "kind_label": PlanningDocumentKind(kind).label,
        "kind": kind,
        "document": document,
        "form": form,
        "editable": editable,
    }
    return render(request, "support/planning_document.html", context)


@login_required
def planning_document_file(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    document = planning_document_get(support_request=support_request, kind=kind)
    if document is None or not document.file:
        raise Http404
    return stored_file_response(document.file, filename=document.file_name)


@login_required
@require_POST
def request_start(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_work_start,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        refusals=CONCURRENT,
        success=_("Work started."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_deviation(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.deviation_report,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=DeviationForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "deviation"),
        refusals=CONCURRENT,
        success=_("Deviation reported to sales and the technical director."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_deviation_result(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.deviation_result_record,
        user=request.user,
        meta=meta_of(request),
        form=DeviationResultForm(request.POST, request.FILES or None, deviations=support_request.deviations.all()),
        failed=page_failed(request, pk, "devresult"),
        refusals=CONCURRENT,
        success=_("Agreed result recorded and sent to the technical director."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_proposal_tier(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_proposal_agree,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=ProposalTierForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "proposal"),
        refusals=CONCURRENT,
        success=_("Proposal completion agreed; its clock is running."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_outcome(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_outcome_record,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=OutcomeForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "outcome"),
        refusals=CONCURRENT,
        success=_("Outcome recorded."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_note(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.internal_note_add,
        support_request=support_request,
        user=request.user,
        form=NoteForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "note"),
        refusals=CONCURRENT,
        success=_("Note added."),
        done=redirect(support_request),
    )
