"""Thin views: the access helper first, then a form, one service call, redirect or render.

``change_get_for_user`` / ``project_get_for_user`` answer 404 to anyone who may not see the
project. A step the user may not take is refused by the service (PermissionDenied → 403); a
step the rules refuse comes back as a translated message on the page, with nothing changed.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.actions import action_run
from delivery.audit import RequestMeta
from delivery.files import stored_file_response
from delivery.forms import form_add_service_error
from delivery.pagecache import served_again_until_data_changes
from documents.services import version_url
from projects.models import Project
from projects.permissions import project_standing
from projects.selectors import project_get_for_user
from sealing.enums import PdfStatus

from . import selectors, services
from .enums import COMPENSATION_KINDS, IMPLEMENTING_DELIVERABLES, ChangeDocument, ChangeKind
from .forms import (
    ChangeFilterForm,
    ChangeForm,
    ClaimAnswerForm,
    ClaimForm,
    CommentForm,
    NoteForm,
    ReplyForm,
    WithdrawForm,
)
from .models import ChangeRequest
from .pages import change_page_context
from .permissions import filing_kinds, filing_refusal, user_can_file_claim
from .rendering import change_pdf_bytes

PAGE_SIZE = 25


def _meta(request: HttpRequest) -> RequestMeta:
    return RequestMeta.from_request(request)


def _detail(change: ChangeRequest) -> HttpResponse:
    return redirect("changes:change", change.project.code, change.number)


# --- Lists ----------------------------------------------------------------------------------


def _filtered(request: HttpRequest, project: Project | None):
    form = ChangeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    changes = selectors.change_list_filtered(
        user=request.user,
        project=project,
        kind=filters.get("kind", ""),
        state=filters.get("state", ""),
        overdue=filters.get("overdue", False),
    )
    page = Paginator(changes, PAGE_SIZE).get_page(request.GET.get("page"))
    return form, page


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


@login_required
@served_again_until_data_changes
def change_list_mine(request: HttpRequest) -> HttpResponse:
    """The letters of every project the user sees."""
    form, page = _filtered(request, None)
    context = {"filter_form": form, "page": page, "query": _query_without_page(request), "now": timezone.now()}
    return render(request, "changes/change_list_mine.html", context)


@login_required
@served_again_until_data_changes
def change_list(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    form, page = _filtered(request, project)
    context = {
        "project": project,
        "filter_form": form,
        "page": page,
        "query": _query_without_page(request),
        "now": timezone.now(),
        "can_file": bool(filing_kinds(project=project, user=request.user)),
        "can_manage": project_standing(project, request.user).is_manager,
    }
    return render(request, "changes/change_list.html", context)


# --- Filing ---------------------------------------------------------------------------------


@login_required
def change_create(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    kinds = filing_kinds(project=project, user=request.user)
    if not kinds:
        refusals = [filing_refusal(project=project, user=request.user, kind=kind) for kind in ChangeKind.values]
        context = {"project": project, "refusals": list(dict.fromkeys(refusals))}
        return render(request, "changes/change_refused.html", context, status=403)
    form = ChangeForm(request.POST or None, request.FILES or None, kinds=kinds)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.change_file(project=project, user=request.user, meta=_meta(request), **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The change letter is filed and the other side has received it."))
            return _detail(change)
    return render(request, "changes/change_form.html", {"project": project, "form": form})


# --- One letter -----------------------------------------------------------------------------


def _detail_page(request: HttpRequest, change: ChangeRequest, *, status: int = 200, **forms: Form) -> HttpResponse:
    context = change_page_context(change=change, user=request.user, now=timezone.now(), forms=forms)
    return render(request, "changes/change_detail.html", context, status=status)


@login_required
@served_again_until_data_changes
def change_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = selectors.change_get_for_user(user=request.user, code=code, number=number)
    return _detail_page(request, change)


def _failed(request: HttpRequest, change: ChangeRequest, key: str):
    """How a refused form on the letter's page is answered: the page again, the form in place, 400."""
    return lambda form: _detail_page(request, change, status=400, **{key: form})


def _letter(request: HttpRequest, code: str, number: int) -> ChangeRequest:
    return selectors.change_get_for_user(user=request.user, code=code, number=number)


@login_required
@require_POST
def change_review_start(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_review_start,
        change=change,
        user=request.user,
        meta=_meta(request),
        success=_("The internal review has started; reply in time."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_negotiation_start(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_negotiation_start,
        change=change,
        user=request.user,
        meta=_meta(request),
        success=_("The negotiation is open."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_reply(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_reply,
        change=change,
        user=request.user,
        meta=_meta(request),
        form=ReplyForm(request.POST, needs_findings=change.kind == ChangeKind.VENDOR_AT_FAULT),
        failed=_failed(request, change, "reply_form"),
        success=_("Your reply is recorded and sent."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_agreement_propose(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_agreement_propose,
        change=change,
        user=request.user,
        meta=_meta(request),
        form=NoteForm(request.POST),
        failed=_failed(request, change, "agree_form"),
        success=_("Your terms are sent; the other lead confirms or counters them."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_agree(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_agree,
        change=change,
        user=request.user,
        meta=_meta(request),
        success=_("Both sides agree: the agreement is recorded and sealed."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_withdraw(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_withdraw,
        change=change,
        user=request.user,
        meta=_meta(request),
        form=WithdrawForm(request.POST),
        failed=_failed(request, change, "withdraw_form"),
        success=_("The change letter is withdrawn."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_comment(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = _letter(request, code, number)
    return action_run(
        request,
        services.change_comment,
        change=change,
        user=request.user,
        meta=_meta(request),
        form=CommentForm(request.POST),
        failed=_failed(request, change, "comment_form"),
        success=_("Comment added."),
        done=_detail(change),
    )


@login_required
@require_POST
def change_version_draft(request: HttpRequest, code: str, number: int, type_code: str) -> HttpResponse:
    change = _letter(request, code, number)
    if type_code not in IMPLEMENTING_DELIVERABLES:
        raise Http404
    return action_run(
        request,
        services.change_version_draft,
        change=change,
        user=request.user,
        meta=_meta(request),
        type_code=type_code,
        success=lambda version: (
            _("Version %(number)s is drafted for this change; edit it and submit it for signature.")
            % {"number": version.number}
        ),
        done=lambda version: redirect(version_url(version)),
        refused=_detail(change),
    )


@login_required
def change_pdf(request: HttpRequest, code: str, number: int, document: str) -> HttpResponse:
    """The sealed PDF once ready; before that, an unsigned preview."""
    change = selectors.change_get_for_user(user=request.user, code=code, number=number)
    if document not in ChangeDocument.values or (document == ChangeDocument.REPLY and change.replied_at is None):
        raise Http404
    filename = f"{code}-change-{number}-{document}.pdf"
    pdf = change.pdfs.filter(document=document).first()
    if pdf is not None and pdf.pdf_status == PdfStatus.READY:
        return stored_file_response(pdf.pdf, filename=filename, content_type="application/pdf")
    response = HttpResponse(change_pdf_bytes(change, document, sign=False), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{filename}"'
    return response


@login_required
def change_attachment(request: HttpRequest, code: str, number: int, attachment_id: int) -> HttpResponse:
    change = selectors.change_get_for_user(user=request.user, code=code, number=number)
    attachment = get_object_or_404(change.attachments, pk=attachment_id)
    return stored_file_response(attachment.file, filename=attachment.name)


# --- Compensation (§4.1, §4.2) --------------------------------------------------------------


@login_required
def claim_create(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = selectors.change_get_for_user(user=request.user, code=code, number=number)
    if not user_can_file_claim(change, request.user):
        raise PermissionDenied
    form = ClaimForm(request.POST or None)
    refusal = None
    if change.kind not in COMPENSATION_KINDS:
        # §4.3, §4.4: say why there is nothing to claim rather than answer a bare refusal.
        refusal = _(
            "No compensation for this change: %(kind)s carries none (§4). Compensation can be claimed only for "
            "changes of kind 4.1 or 4.2."
        ) % {"kind": change.get_kind_display()}
    elif request.method == "POST" and form.is_valid():
        try:
            services.claim_file(change=change, user=request.user, meta=_meta(request), **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Your compensation claim is filed; the vendor PM will answer it."))
            return _detail(change)
    elif request.method != "POST":
        if selectors.change_claim(change=change) is not None:
            refusal = _("A compensation claim has already been filed for this change.")
        else:
            refusal = services.claim_window_refusal(change, now=timezone.now())
    context = {
        "project": change.project,
        "change": change,
        "form": form,
        "refusal": refusal,
        "window": services.claim_window(change),
    }
    refused = request.method == "POST" and (refusal is not None or bool(form.errors))
    return render(request, "changes/claim_form.html", context, status=400 if refused else 200)


@login_required
@require_POST
def claim_answer(request: HttpRequest, code: str, number: int) -> HttpResponse:
    change = selectors.change_get_for_user(user=request.user, code=code, number=number)
    claim = selectors.change_claim(change=change)
    if claim is None:
        raise Http404
    return action_run(
        request,
        services.claim_answer,
        claim=claim,
        user=request.user,
        meta=_meta(request),
        form=ClaimAnswerForm(request.POST),
        failed=_failed(request, change, "claim_answer_form"),
        success=_("Your answer to the claim is recorded."),
        done=_detail(change),
    )


@login_required
@served_again_until_data_changes
def claim_list(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    context = {
        "project": project,
        "claims": selectors.claim_list_for_project(project=project),
        "claimable": selectors.change_list_claimable(project=project),
        "is_customer_lead": project_standing(project, request.user).is_customer_lead,
        "can_manage": project_standing(project, request.user).is_manager,
    }
    return render(request, "changes/claim_list.html", context)
