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

from delivery.actions import action_run
from delivery.audit import RequestMeta
from delivery.pagecache import served_again_until_data_changes
from documents.enums import DeliverableCode
from documents.permissions import user_is_vendor
from projects.permissions import project_standing

from . import pages
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


def _vendor_people(project):
    ids = [project.vendor_pm_id, *project.members.filter(side="vendor").values_list("user_id", flat=True)]
    return get_user_model().objects.filter(pk__in=[i for i in ids if i]).order_by("first_name")


@login_required
@served_again_until_data_changes
def overview(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    can_manage = project_standing(project, request.user).is_manager
    notices = notice_list(project=project)
    running = next((n for n in notices if n.status == NoticeStatus.RUNNING), None)
    if running is not None and project_standing(project, request.user).is_customer_lead:
        golive_notice_mark_opened(notice=running, user=request.user)
    forms = _available_forms(project, request, running, can_manage)
    return render(request, "golive/overview.html", _context(project, request, notices, running, can_manage, forms))


def _available_forms(project, request, running, can_manage) -> dict:
    """The forms the page offers now (None where the action does not apply any more)."""
    user = request.user
    after_golive = pages.after_golive_offered(project=project, user=user)
    return {
        "notice_form": NoticeForm(prefix="notice")
        if pages.notice_may_be_issued(project=project, user=user, running=running)
        else None,
        "objection_form": ObjectionForm(prefix="objection")
        if pages.objection_offered(project=project, notice=running, user=user, now=timezone.now())
        else None,
        "actual_form": ActualGoLiveForm(prefix="actual")
        if pages.actual_golive_offered(project=project, user=user)
        else None,
        "visit_form": VisitForm(prefix="visit", people=_vendor_people(project)) if after_golive else None,
        "meeting_form": _meeting_form(project) if after_golive else None,
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
    can_manage = project_standing(project, request.user).is_manager
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
    return action_run(
        request,
        golive_notice_issue,
        project=project,
        user=request.user,
        meta=RequestMeta.from_request(request),
        form=NoticeForm(request.POST, prefix="notice"),
        failed=lambda form: _rerender(request, project, notice_form=form),
        success=_("The go-live notice is issued; both 15-working-day clocks have started."),
        done=redirect("golive:overview", code),
    )


@login_required
@require_POST
def objection_file(request: HttpRequest, code: str, notice_id: int) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    notice = notice_get(project=project, notice_id=notice_id)
    return action_run(
        request,
        golive_objection_file,
        notice=notice,
        user=request.user,
        meta=RequestMeta.from_request(request),
        form=ObjectionForm(request.POST, prefix="objection"),
        failed=lambda form: _rerender(request, project, objection_form=form),
        success=_("Your written objection is recorded; deemed acceptance is stopped."),
        done=redirect("golive:overview", code),
    )


@login_required
@require_POST
def actual_record(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    return action_run(
        request,
        golive_actual_record,
        project=project,
        user=request.user,
        meta=RequestMeta.from_request(request),
        form=ActualGoLiveForm(request.POST, prefix="actual"),
        failed=lambda form: _rerender(request, project, actual_form=form),
        success=_("The go-live confirmation was sent to the customer lead for signature."),
        done=lambda version: redirect("documents:version", code, DeliverableCode.GOLIVE_CONFIRMATION, version.number),
    )


@login_required
@require_POST
def visit_add(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    if not project_standing(project, request.user).is_manager:
        raise PermissionDenied
    return action_run(
        request,
        support_visit_create,
        project=project,
        user=request.user,
        form=VisitForm(request.POST, prefix="visit", people=_vendor_people(project)),
        failed=lambda form: _rerender(request, project, visit_form=form),
        success=_("The on-site support visit is scheduled."),
        done=redirect("golive:overview", code),
    )


@login_required
@served_again_until_data_changes
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
            "can_manage": project_standing(project, request.user).is_manager,
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
            "actions": pages.problem_actions(project=project, problem=problem, user=request.user, vendor=is_vendor),
            "history": problem_history(problem=problem),
        },
    )


@login_required
@require_POST
def meeting_record(request: HttpRequest, code: str) -> HttpResponse:
    project = golive_project_get_for_user(user=request.user, code=code)
    return action_run(
        request,
        acceptance_meeting_record,
        project=project,
        user=request.user,
        form=_meeting_form(project, request.POST),
        failed=lambda form: _rerender(request, project, meeting_form=form),
        success=_("The acceptance meeting is recorded."),
        done=redirect("golive:overview", code),
    )
