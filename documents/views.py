from __future__ import annotations

import logging

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import StepUpForm, stepup_field_for_user
from accounts.stepup import StepUpRefused
from delivery.actions import action_run, messages_from_error
from delivery.audit import RequestMeta
from delivery.client_address import client_ip
from delivery.files import stored_file_response
from delivery.forms import form_add_service_error
from delivery.pagecache import served_again_until_data_changes
from delivery.people import display_name
from delivery.ratelimit import rate_limit_exceeded
from projects.permissions import project_standing
from projects.selectors import project_get_for_user
from sealing.credentials import SignatureRefused
from sealing.enums import PdfStatus
from sealing.verification import document_verify

from .content import content_diff, content_display
from .enums import SignerRole, VersionState
from .forms import AttachmentForm, ContentEditor, OfflineConfirmationForm, ReturnForm, SignForm, VerifyPdfForm
from .hooks import waiting_items_for
from .pages import initial_content, version_page_context
from .permissions import user_can_draft, user_can_record_offline, user_signing_roles
from .rendering import version_pdf_bytes
from .selectors import (
    deliverable_get_for_user,
    deliverable_rows_for_project,
    version_get_for_user,
    version_list,
    version_list_waiting_for_signature,
    version_signers,
)
from .services import (
    attachment_add,
    deliverable_get_or_create,
    version_confirm_offline,
    version_confirm_passwords_changed,
    version_draft_create,
    version_draft_update,
    version_record_download,
    version_return,
    version_submit,
    version_turn_refusal,
    version_url,
)
from .services import version_sign as do_version_sign
from .stored_secrets import secret_account, secret_reveal

logger = logging.getLogger(__name__)

# Verification is public; the limit keeps it from being used as a free signature oracle.
VERIFY_LIMIT_PER_MINUTE = 10


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    verdict = None
    error = ""
    form = VerifyPdfForm()
    if request.method == "POST":
        if rate_limit_exceeded(request=request, scope="verify", limit=VERIFY_LIMIT_PER_MINUTE, window_seconds=60):
            error = _("Too many checks from your address. Please wait a minute and try again.")
        else:
            form = VerifyPdfForm(request.POST, request.FILES)
            if form.is_valid():
                verdict = document_verify(data=form.cleaned_data["file"].read())
                logger.info("PDF verification from %s: valid=%s", client_ip(request), verdict.valid)
    context = {"form": form, "verdict": verdict, "error": error}
    return render(request, "documents/verify.html", context, status=429 if error else 200)


# --- Deliverables of a project ----------------------------------------------------------------


def _meta(request: HttpRequest) -> RequestMeta:
    return RequestMeta.from_request(request)


def _version_redirect(version) -> HttpResponse:
    return redirect(version_url(version))


@login_required
@served_again_until_data_changes
def deliverable_list(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    rows = deliverable_rows_for_project(project=project, user=request.user)
    return render(
        request,
        "documents/deliverable_list.html",
        {
            "project": project,
            "rows": rows,
            "can_draft": user_can_draft(project, request.user),
            "can_manage": project_standing(project, request.user).is_manager,
        },
    )


@login_required
@served_again_until_data_changes
def deliverable_detail(request: HttpRequest, code: str, type_code: str) -> HttpResponse:
    project, deliverable_type, deliverable = deliverable_get_for_user(
        user=request.user, project_code=code, type_code=type_code
    )
    versions = version_list(deliverable=deliverable, user=request.user) if deliverable else []
    if versions:
        return _version_redirect(versions[0])
    return render(
        request,
        "documents/deliverable_empty.html",
        {"project": project, "deliverable_type": deliverable_type, "can_draft": user_can_draft(project, request.user)},
    )


@login_required
@require_POST
def version_start(request: HttpRequest, code: str, type_code: str) -> HttpResponse:
    project, deliverable_type, _deliverable = deliverable_get_for_user(
        user=request.user, project_code=code, type_code=type_code
    )
    if not user_can_draft(project, request.user):
        raise PermissionDenied
    deliverable = deliverable_get_or_create(project=project, code=deliverable_type.code)
    try:
        initial = (
            initial_content(project=project, code=deliverable_type.code) if not deliverable.versions.exists() else None
        )
        version = version_draft_create(deliverable=deliverable, user=request.user, meta=_meta(request), content=initial)
    except ValidationError as error:
        messages_from_error(request, error)
        return redirect("documents:deliverable", code, type_code)
    return redirect("documents:edit", code, type_code, version.number)


@login_required
@served_again_until_data_changes
def version_detail(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    return render(request, "documents/version_detail.html", version_page_context(version=version, user=request.user))


@login_required
def version_edit(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    if not user_can_draft(version.deliverable.project, request.user):
        raise PermissionDenied
    if version.state != VersionState.DRAFT:
        messages.info(request, _("This version is frozen; it can no longer be edited."))
        return _version_redirect(version)
    editor = ContentEditor(type_code=type_code, content=version.content, data=request.POST or None)
    attachment_form = AttachmentForm()
    if request.method == "POST" and editor.is_valid():
        content = editor.content()
        secrets = editor.secrets(content)
        version_draft_update(version=version, user=request.user, meta=_meta(request), content=content, secrets=secrets)
        messages.success(request, _("Draft saved."))
        if "save_and_submit" in request.POST:
            return _submit(request, version)
        return redirect("documents:edit", code, type_code, number)
    context = {
        **version_page_context(version=version, user=request.user),
        "editor": editor,
        "attachment_form": attachment_form,
    }
    return render(request, "documents/version_edit.html", context)


def _submit(request: HttpRequest, version) -> HttpResponse:
    return action_run(
        request,
        version_submit,
        version=version,
        user=request.user,
        meta=_meta(request),
        success=lambda _result: _submitted_message(version),
        done=_version_redirect(version),
        refused=redirect("documents:edit", *_version_args(version)),
    )


def _submitted_message(version) -> str:
    """Name who really signs: the customer lead, the vendor PM (internal documents), both leads,
    or, for a longer declared list, every signer in order (the first one is asked now)."""
    signers = version_signers(version)
    names = [display_name(signer.person) if signer.person else "" for signer in signers]
    roles = [signer.role for signer in signers]
    if roles == [SignerRole.VENDOR_PM]:
        return _("Submitted. The vendor project manager %(name)s has been asked to sign (internal document).") % {
            "name": names[0]
        }
    if roles == [SignerRole.CUSTOMER_LEAD]:
        return _("Submitted. The customer project lead %(name)s has been asked to sign.") % {"name": names[0]}
    if len(roles) == 2 and roles[0] == SignerRole.CUSTOMER_LEAD and signers[1].side == "vendor":
        return _("Submitted. %(customer)s (customer lead) and %(vendor)s (vendor) have been asked to sign.") % {
            "customer": names[0],
            "vendor": names[1],
        }
    if not signers:
        return _("Submitted. The customer project lead has received it.")
    listed = [
        _("%(name)s (%(role)s)") % {"name": name, "role": s.role_label} for name, s in zip(names, signers, strict=True)
    ]
    return _("Submitted. Signers in order: %(signers)s; %(first)s has been asked to sign first.") % {
        "signers": _(", then ").join(listed),
        "first": listed[0],
    }


def _version_args(version) -> tuple:
    return (version.deliverable.project.code, version.deliverable.type.code, version.number)


@login_required
@require_POST
def version_submit_view(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    return _submit(request, version)


@login_required
@require_POST
def attachment_upload(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            attachment_add(version=version, user=request.user, file=form.cleaned_data["file"])
            messages.success(request, _("Attachment added."))
        except ValidationError as error:
            messages_from_error(request, error)
    else:
        for error in form.errors.get("file", []):
            messages.error(request, error)
    return redirect("documents:edit", code, type_code, number)


@login_required
def attachment_download(
    request: HttpRequest, code: str, type_code: str, number: int, attachment_id: int
) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    attachment = get_object_or_404(version.attachments, pk=attachment_id)
    return stored_file_response(attachment.file, filename=attachment.name)


@login_required
def version_sign(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    if not user_signing_roles(version, request.user):
        raise PermissionDenied
    page = version_page_context(version=version, user=request.user)
    if not page["can_sign"]:
        # A confirmed or returned version is reached again by the back button: show it, not forms;
        # a signer whose turn has not come (or who signed already) is told why.
        refusal = version_turn_refusal(version, request.user) if version.state == VersionState.SUBMITTED else None
        messages.info(request, refusal or _("This version is no longer waiting for your signature."))
        return _version_redirect(version)
    form = SignForm(request.POST or None)
    stepup_field_for_user(form, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            do_version_sign(
                version=version,
                user=request.user,
                meta=_meta(request),
                typed_name=form.cleaned_data["typed_name"],
                password=form.cleaned_data["password"],
                consent=form.cleaned_data["consent"],
            )
        except SignatureRefused as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Signed. The signed PDF is being prepared."))
            return _version_redirect(version)
    return render(request, "documents/version_sign.html", {**page, "form": form, "return_form": ReturnForm()})


@login_required
@require_POST
def version_return_view(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    if not user_signing_roles(version, request.user):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            version_return(
                version=version, user=request.user, meta=_meta(request), comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            messages_from_error(request, error)
            return redirect("documents:sign", code, type_code, number)
        messages.success(request, _("Returned to the vendor with your comments."))
        return _version_redirect(version)
    sign_form = SignForm()
    stepup_field_for_user(sign_form, user=request.user)
    context = {**version_page_context(version=version, user=request.user), "form": sign_form, "return_form": form}
    return render(request, "documents/version_sign.html", context)


@login_required
def version_offline(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    if not user_can_record_offline(version.deliverable.project, request.user):
        raise PermissionDenied
    form = OfflineConfirmationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            version_confirm_offline(version=version, user=request.user, meta=_meta(request), **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("The offline confirmation is recorded."))
            return _version_redirect(version)
    context = {**version_page_context(version=version, user=request.user), "form": form}
    return render(request, "documents/version_offline.html", context)


@login_required
@csp_replace({"frame-ancestors": [SELF]}, REPORT_ONLY=settings.CONTENT_SECURITY_POLICY is None)
def version_pdf(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    """The signed PDF once ready; before that, an unsigned preview of the frozen version."""
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    filename = f"{code}-{type_code}-v{number}.pdf"
    if version.pdf_status == PdfStatus.READY:
        # Only a real download is an event of the audit trail (opening a page is not).
        version_record_download(version=version, user=request.user, meta=_meta(request))
        return stored_file_response(version.pdf, filename=filename, content_type="application/pdf")
    # The preview speaks the reader's language; the sealed file is in the site's language.
    preview = version_pdf_bytes(version, sign=False, language=translation.get_language())
    response = HttpResponse(preview, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="preview-{filename}"'
    # The review page shows this preview in a frame of our own origin (SPEC §3).
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response


@login_required
def version_evidence(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    """The scan or e-mail of an offline confirmation, for both sides of the project."""
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    if not version.offline_evidence:
        raise Http404
    name = version.offline_evidence.name.rsplit("/", 1)[-1]
    return stored_file_response(version.offline_evidence, filename=name)


@login_required
def version_compare(request: HttpRequest, code: str, type_code: str, number: int, other: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    older = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=other)
    changes = content_diff(type_code=type_code, old=older.content, new=version.content)
    old_fields, old_tables = content_display(type_code=type_code, content=older.content)
    new_fields, new_tables = content_display(type_code=type_code, content=version.content)
    context = {
        **version_page_context(version=version, user=request.user),
        "older": older,
        "changes": changes,
        "sides": [(older, old_fields, old_tables), (version, new_fields, new_tables)],
    }
    return render(request, "documents/version_compare.html", context)


# Revealing stored passwords: a handful an hour is plenty for a handover, and stops harvesting.
SECRET_REVEALS_PER_HOUR = 10


@login_required
@require_http_methods(["GET", "POST"])
def version_secret_reveal(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    """GET names the account and asks for the step-up; POST checks it and shows the password."""
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    if not project_standing(version.deliverable.project, request.user).is_member:
        raise PermissionDenied
    key = request.POST.get("key") or request.GET.get("key", "")
    account = secret_account(version=version, key=key)
    form = StepUpForm(request.POST or None, user=request.user)
    context = {**version_page_context(version=version, user=request.user), "account": account, "form": form}
    status = 200
    if request.method == "POST" and form.is_valid():
        if rate_limit_exceeded(
            request=request,
            scope="secret",
            key=str(request.user.pk),
            limit=SECRET_REVEALS_PER_HOUR,
            window_seconds=3600,
        ):
            form.add_error(None, _("Too many passwords were shown to you in the last hour. Please try again later."))
            status = 429
        else:
            try:
                context["secret"] = secret_reveal(
                    version=version, user=request.user, meta=_meta(request), key=key, answer=form.cleaned_data["answer"]
                )
            except StepUpRefused as refused:
                form.add_error("answer", refused.messages)
    response = render(request, "documents/secret.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def version_passwords_changed(request: HttpRequest, code: str, type_code: str, number: int) -> HttpResponse:
    version = version_get_for_user(user=request.user, project_code=code, type_code=type_code, number=number)
    return action_run(
        request,
        version_confirm_passwords_changed,
        version=version,
        user=request.user,
        meta=_meta(request),
        success=_("Thank you: the change of the initial passwords is recorded."),
        done=_version_redirect(version),
    )


@login_required
@served_again_until_data_changes
def waiting_for_signature(request: HttpRequest) -> HttpResponse:
    versions = version_list_waiting_for_signature(user=request.user)
    others = waiting_items_for(request.user)
    return render(request, "documents/waiting.html", {"versions": versions, "others": others})
