"""The service form, completion, closing, effort, escalations and the archive (§6 "Completion")."""

from __future__ import annotations

import io
import zipfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import stepup_field_for_user
from delivery.actions import action_run
from delivery.files import stored_file_response
from delivery.forms import form_add_service_error
from sealing.enums import PdfStatus

from .. import services
from ..enums import (
    ServiceFormState,
)
from ..forms import (
    CancelForm,
    CloseForm,
    DisputeForm,
    EffortForm,
    EscalationForm,
    PaperFormForm,
    ResolveForm,
    ServiceFormSendForm,
    SignForm,
)
from ..permissions import (
    is_customer_contact,
)
from ..rendering import planning_document_pdf_bytes
from ..selectors import (
    service_form_for_support_request,
    support_request_archive_files,
    support_request_internal_view,
)
from ._common import (
    CONCURRENT,
    internal_request_for,
    meta_of,
    page_failed,
    support_request_for,
)


# --- the service form ---------------------------------------------------------------------------
@login_required
@require_POST
def service_form_send(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.service_form_send,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=ServiceFormSendForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "serviceform"),
        refusals=CONCURRENT,
        success=_("Service form sent to the customer contact for signature."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def service_form_paper(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.service_form_record_paper,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=PaperFormForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "paper"),
        refusals=CONCURRENT,
        success=_("Signed paper form recorded. Confirm completion by the next working day."),
        done=redirect(support_request),
    )


@login_required
def service_form_sign(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = support_request_for(request, pk)
    if not is_customer_contact(support_request, request.user):
        raise PermissionDenied
    service_form = service_form_for_support_request(support_request=support_request)
    if service_form is None or service_form.state != ServiceFormState.AWAITING_SIGNATURE:
        messages.info(request, _("This service form is not waiting for a signature."))
        return redirect(support_request)
    form = SignForm(request.POST or None)
    stepup_field_for_user(form, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.service_form_sign(
                support_request=support_request, user=request.user, meta=meta_of(request), **form.cleaned_data
            )
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Signed. The signed PDF is being prepared."))
            return redirect(support_request)
    context = {"support_request": support_request, "service_form": service_form, "form": form}
    return render(request, "support/service_form_sign.html", context)


@login_required
def service_form_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = support_request_for(request, pk)
    service_form = service_form_for_support_request(support_request=support_request)
    if service_form is None or service_form.pdf_status != PdfStatus.READY:
        raise Http404
    filename = f"{support_request.reference}-service-form.pdf"
    return stored_file_response(service_form.pdf, filename=filename)


@login_required
def service_form_scan(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = support_request_for(request, pk)
    service_form = service_form_for_support_request(support_request=support_request)
    if service_form is None or not service_form.paper_scan:
        raise Http404
    return stored_file_response(service_form.paper_scan, filename=service_form.paper_name)


# --- completion and closing ---------------------------------------------------------------------
@login_required
@require_POST
def request_complete(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_complete,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        refusals=CONCURRENT,
        success=_("Completion confirmed. Sales has one working day to reply."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_sales_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_sales_confirm,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        refusals=CONCURRENT,
        success=_("Completion confirmed."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_dispute(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_dispute,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=DisputeForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "dispute"),
        refusals=CONCURRENT,
        success=_("Completion disputed; the sales directors have been told."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_close,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=CloseForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "close"),
        refusals=CONCURRENT,
        success=_("Request closed and archived."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.support_request_cancel,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=CancelForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "cancel"),
        refusals=CONCURRENT,
        success=_("Request cancelled."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_effort(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.effort_account_set,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=EffortForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "effort"),
        refusals=CONCURRENT,
        success=_("Effort saved."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def request_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    return action_run(
        request,
        services.escalation_raise,
        support_request=support_request,
        user=request.user,
        meta=meta_of(request),
        form=EscalationForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "escalation"),
        refusals=CONCURRENT,
        success=_("Escalated."),
        done=redirect(support_request),
    )


@login_required
@require_POST
def escalation_resolve(request: HttpRequest, pk: int, escalation_id: int) -> HttpResponse:
    support_request = internal_request_for(request, pk)
    escalation = get_object_or_404(support_request.escalations, pk=escalation_id)
    return action_run(
        request,
        services.escalation_resolve,
        escalation=escalation,
        user=request.user,
        meta=meta_of(request),
        form=ResolveForm(request.POST, request.FILES or None),
        failed=page_failed(request, pk, "resolve"),
        refusals=CONCURRENT,
        success=_("Escalation resolved."),
        done=redirect(support_request),
    )


@login_required
def request_archive(request: HttpRequest, pk: int) -> HttpResponse:
    """§6 "documents are archived": every document of the request in one ZIP file, with an index
    page (briefing, deviations and their results, escalations, history) and the planning documents
    written online rendered to PDF."""
    support_request = internal_request_for(request, pk)
    files = support_request_archive_files(support_request=support_request)
    rendered = [
        (f"{support_request.reference}-{document.kind}.pdf", document)
        for document in support_request.planning_documents.select_related("updated_by")
        if not document.file and document.sections
    ]
    names = [name for name, _file in files] + [name for name, _document in rendered]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("index.html", _archive_index_html(request, support_request, names))
        for name, field_file in files:
            with field_file.open("rb") as handle:
                archive.writestr(name, handle.read())
        for name, document in rendered:
            archive.writestr(name, planning_document_pdf_bytes(document))
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"{support_request.reference}-archive.zip")


def _archive_index_html(request: HttpRequest, support_request, names: list[str]) -> str:
    context = {
        "support_request": support_request,
        "internal": support_request_internal_view(support_request=support_request),
    }
    return render_to_string("support/archive_index.html", {**context, "files": names}, request=request)


@login_required
def request_archive_index(request: HttpRequest, pk: int) -> HttpResponse:
    """The archive's index page, on the site."""
    support_request = internal_request_for(request, pk)
    names = [name for name, _file in support_request_archive_files(support_request=support_request)]
    return HttpResponse(_archive_index_html(request, support_request, names))
