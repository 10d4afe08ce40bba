from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.enums import DeliverableCode
from documents.permissions import user_is_vendor
from documents.services import RequestMeta
from projects.models import project_user_can_manage

from .enums import NoticeStatus
from .forms import (
    AcceptanceMeetingForm,
    ActualGoLiveForm,
    NoticeForm,
    ObjectionForm,
    ProblemReportForm,
    ProblemUpdateForm,
    VisitForm,
)
from .models import AcceptanceMeeting
from .selectors import (
    final_acceptance_deadlines,
    golive_project_get_for_user,
    notice_get,
    notice_list,
    problem_get,
    problem_history,
    problem_list,
)
from .services import (
    acceptance_meeting_record,
    golive_actual_record,
    golive_notice_issue,
    golive_notice_mark_opened,
    golive_objection_file,
    problem_report,
    problem_update,
    stable_operation_end,
    support_visit_create,
)


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _vendor_people(project):
    ids = [project.vendor_pm_id, *project.members.filter(side="vendor").values_list("user_id", flat=True)]
    return get_user_model().objects.filter(pk__in=[i for i in ids if i]).order_by("first_name")


@login_required
def overview(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    can_manage = project_user_can_manage(project, request.user)
    notices = notice_list(project=project)
    running = next((n for n in notices if n.status == NoticeStatus.RUNNING), None)
    if running is not None and request.user.pk == project.customer_lead_id:
        golive_notice_mark_opened(notice=running, user=request.user)
    forms = _available_forms(project, request, running, can_manage)
    return render(request, "golive/overview.html", _context(project, request, notices, running, can_manage, forms))


def _available_forms(project, request, running, can_manage) -> dict:
    """The forms the page offers now (None where the action does not apply any more)."""
    is_lead = request.user.pk == project.customer_lead_id
    return {
        "notice_form": NoticeForm(prefix="notice")
        if can_manage and project.golive_applies and not running and not project.golive_on
        else None,
        "objection_form": ObjectionForm(prefix="objection")
        if is_lead and running and timezone.now() < running.objection_deadline.due_at
        else None,
        "actual_form": ActualGoLiveForm(prefix="actual")
        if can_manage and project.golive_applies and not project.golive_on
        else None,
        "visit_form": VisitForm(prefix="visit", people=_vendor_people(project))
        if can_manage and project.golive_on
        else None,
        "meeting_form": _meeting_form(project) if can_manage and project.golive_on else None,
    }


def _meeting_form(project, data=None) -> AcceptanceMeetingForm:
    meeting = getattr(project, "acceptance_meeting", None)
    initial = (
        {f: getattr(meeting, f) for f in ("held_on", "place", "attendees", "minutes")} if meeting is not None else None
    )
    return AcceptanceMeetingForm(data, prefix="meeting", initial=initial)


def _context(project, request, notices, running, can_manage, forms) -> dict:
    return {
        "meeting": AcceptanceMeeting.objects.filter(project=project).select_related("recorded_by").first(),
        "stable_end": stable_operation_end(project),
        "project": project,
        "can_manage": can_manage,
        "notices": notices,
        "running": running,
        "visits": project.support_visits.select_related("consultant"),
        "final_acceptance": final_acceptance_deadlines(project=project),
        "DeliverableCode": DeliverableCode,
        **forms,
    }


def _rerender(request, project, **posted) -> HttpResponse:
    """The page again with the posted form and its errors. A form the page no longer offers (the
    action was done meanwhile: a second click, another tab) is left out and its errors are shown
    as a message instead."""
    notices = notice_list(project=project)
    running = next((n for n in notices if n.status == NoticeStatus.RUNNING), None)
    can_manage = project_user_can_manage(project, request.user)
    forms = _available_forms(project, request, running, can_manage)
    for name, form in posted.items():
        if forms.get(name) is not None:
            forms[name] = form
        else:
            errors = [error for field_errors in form.errors.values() for error in field_errors]
            for error in errors or [_("This action is no longer available.")]:
                messages.error(request, error)
    context = _context(project, request, notices, running, can_manage, forms)
    return render(request, "golive/overview.html", context, status=200)


@login_required
@require_POST
def notice_issue(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    form = NoticeForm(request.POST, prefix="notice")
    if form.is_valid():
        try:
            golive_notice_issue(
                project=project, user=request.user, meta=RequestMeta.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The go-live notice is issued; both 15-working-day clocks have started."))
            return redirect("golive:overview", code)
    return _rerender(request, project, notice_form=form)


@login_required
@require_POST
def objection_file(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    notice = notice_get(project=project, notice_id=notice_id)
    form = ObjectionForm(request.POST, prefix="objection")
    if form.is_valid():
        try:
            golive_objection_file(
                notice=notice,
                user=request.user,
                meta=RequestMeta.from_request(request),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("Your written objection is recorded; deemed acceptance is stopped."))
            return redirect("golive:overview", code)
    return _rerender(request, project, objection_form=form)


@login_required
@require_POST
def actual_record(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    form = ActualGoLiveForm(request.POST, prefix="actual")
    if form.is_valid():
        try:
            version = golive_actual_record(
                project=project, user=request.user, meta=RequestMeta.from_request(request), **form.cleaned_data
            )
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The go-live confirmation was sent to the customer lead for signature."))
            return redirect("documents:version", code, DeliverableCode.GOLIVE_CONFIRMATION, version.number)
    return _rerender(request, project, actual_form=form)


@login_required
@require_POST
def visit_add(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    if not project_user_can_manage(project, request.user):
        raise PermissionDenied
    form = VisitForm(request.POST, prefix="visit", people=_vendor_people(project))
    if form.is_valid():
        support_visit_create(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, _("The on-site support visit is scheduled."))
        return redirect("golive:overview", code)
    return _rerender(request, project, visit_form=form)


@login_required
def problems(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    form = ProblemReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        problem = problem_report(project=project, user=request.user, **form.cleaned_data)
        messages.success(request, _("Problem #%(number)s is recorded.") % {"number": problem.number})
        return redirect("golive:problems", code)
    rows = problem_list(project=project)
    return render(
        request,
        "golive/problems.html",
        {
            "project": project,
            "problems": rows,
            "form": form,
            "is_vendor": user_is_vendor(request.user),
            "can_manage": project_user_can_manage(project, request.user),
        },
    )


@login_required
def problem_detail(request: HttpRequest, code: str, number: int) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    problem = problem_get(project=project, number=number)
    is_vendor = user_is_vendor(request.user)
    initial = {
        f: getattr(problem, f) for f in ("cause", "tracking", "resolution", "result", "support_mode", "severity")
    }
    form = ProblemUpdateForm(request.POST or None, initial=initial) if is_vendor else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if form is not None:
                if form.is_valid():
                    problem_update(problem=problem, user=request.user, action=action, **form.cleaned_data)
                else:
                    return render(
                        request, "golive/problem_detail.html", {"project": project, "problem": problem, "form": form}
                    )
            else:
                reason = request.POST.get("reason", "")
                problem_update(problem=problem, user=request.user, action=action, reason=reason)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Problem #%(number)s is updated.") % {"number": problem.number})
        return redirect("golive:problem", code, number)
    return render(
        request,
        "golive/problem_detail.html",
        {
            "project": project,
            "problem": problem,
            "form": form,
            "is_vendor": is_vendor,
            "history": problem_history(problem=problem),
        },
    )


@login_required
@require_POST
def meeting_record(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    form = _meeting_form(project, request.POST)
    if form.is_valid():
        try:
            acceptance_meeting_record(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, _("The acceptance meeting is recorded."))
            return redirect("golive:overview", code)
    return _rerender(request, project, meeting_form=form)
