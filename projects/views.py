"""Thin views: the access helper first, then a form, one service call, redirect or render.

``project_get_for_user`` answers 404 to anyone who may not see the project; ``project_get_for_manager``
additionally answers 403 to those who see it but may not change it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import ConcurrentTransition

from accounts.selectors import user_list_vendor_staff
from deadlines.selectors import deadline_list_for_recipient
from delivery.actions import action_run
from delivery.forms import form_add_service_error
from delivery.pagecache import served_again_until_data_changes

from . import selectors, services
from .enums import Phase, Side
from .exports import contact_directory_csv, contact_directory_xlsx
from .forms import (
    KickoffForm,
    MemberAddForm,
    MemberEditForm,
    PhaseAdvanceForm,
    PhaseReasonForm,
    ProjectFilterForm,
    ProjectForm,
    ResponsibilityForm,
    RiskForm,
    StatusReportForm,
    WorkItemForm,
)
from .hooks import plan_milestones
from .lifecycle import gate_checklist, gate_facts_collect, phase_timeline
from .models import ADVANCE_TRANSITIONS, Project, StatusReport
from .permissions import project_standing, user_can_choose_vendor_pm, user_can_create_project

PAGE_SIZE = 25


def _vendor_pm_choices(request: HttpRequest, project: Project | None = None) -> QuerySet:
    """Admins and vendor managers staff projects; a PM creates their own and may hand one over."""
    if user_can_choose_vendor_pm(user=request.user) or project is not None:
        return user_list_vendor_staff()
    return user_list_vendor_staff().filter(pk=request.user.pk)


def _form_page(project: Project, form: Form, title: str, back: str) -> dict:
    return {"project": project, "form": form, "title": title, "back_url_name": f"projects:{back}"}


# --- Dashboard and list ---------------------------------------------------------------------


@login_required
@served_again_until_data_changes
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "projects/dashboard.html",
        {
            "my_projects": selectors.project_cards_mine(user=user),
            "waiting_items": selectors.responsibility_list_waiting_for(user=user),
            "waiting_risks": selectors.risk_list_owned_by(user=user),
            "upcoming": selectors.upcoming_dates_for_user(user=user),
            "clocks": deadline_list_for_recipient(user=user),
            "today": timezone.localdate(),
            "can_create": user_can_create_project(user=user),
        },
    )


@login_required
@served_again_until_data_changes
def project_list(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET or None, pms=selectors.project_pm_choices(user=request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    projects = selectors.project_list_filtered(
        user=request.user,
        phase=filters.get("phase") or "",
        customer=(filters.get("customer") or "").strip(),
        vendor_pm_id=filters.get("pm"),
        has_overdue=bool(filters.get("overdue")),
        search=(filters.get("q") or "").strip(),
    )
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "projects/project_list.html",
        {
            "page": page,
            "form": form,
            "query": query.urlencode(),
            "can_create": user_can_create_project(user=request.user),
        },
    )


# --- Project --------------------------------------------------------------------------------


@login_required
def project_create(request: HttpRequest) -> HttpResponse:
    if not user_can_create_project(user=request.user):
        raise PermissionDenied
    form = ProjectForm(
        request.POST or None,
        instance=Project(),
        vendor_pms=_vendor_pm_choices(request),
        initial={"vendor_pm": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        try:
            project = services.project_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Project %(code)s created. Next: add the team.") % {"code": project.code})
            if project.planned_start < timezone.localdate():
                # A plan sanity warning, not a refusal: projects are also recorded after the fact.
                messages.warning(
                    request,
                    _("The planned start %(date)s is already past: check the project's dates.")
                    % {"date": f"{project.planned_start:%Y-%m-%d}"},
                )
            return redirect("projects:team", code=project.code)
    return render(request, "projects/project_form.html", {"form": form, "project": None})


@login_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    form = ProjectForm(request.POST or None, instance=project, vendor_pms=_vendor_pm_choices(request, project))
    if request.method == "POST" and form.is_valid():
        try:
            services.project_update(project=project, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        except ConcurrentTransition:
            messages.error(request, _("Someone else changed the phase meanwhile. Please look again."))
            return redirect("projects:detail", code=project.code)
        else:
            messages.success(request, _("Project saved."))
            return redirect("projects:detail", code=project.code)
        project.refresh_from_db()
    return render(request, "projects/project_form.html", {"form": form, "project": project})


def _phase_actions(project: Project, user: object, gate_met: bool) -> dict:
    """What the page offers, from the FSM's own transitions (labels and permissions)."""
    here = [t for t in project.get_all_phase_transitions() if t.source == project.phase]
    advance = next((t for t in here if t.name == ADVANCE_TRANSITIONS.get(project.phase)), None)
    return {
        "advance_label": advance.custom["label"] if advance else "",
        "can_advance": advance is not None and gate_met and advance.has_perm(project, user),
        "can_force": any(t.name == "force_advance" and t.has_perm(project, user) for t in here),
        "can_move_back": any(t.name == "move_back" and t.has_perm(project, user) for t in here),
    }


@login_required
@served_again_until_data_changes
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    members = selectors.project_member_list(project=project)
    gate_items = gate_checklist(gate_facts_collect(project, members=members))
    gate_met = all(item.met for item in gate_items)
    today = timezone.localdate()
    return render(
        request,
        "projects/project_detail.html",
        {
            "project": project,
            "timeline": phase_timeline(project.phase),
            "closed": project.phase == Phase.CLOSED,
            "closed_with": selectors.project_closed_with(project=project),
            "gate_items": gate_items,
            "gate_missing": [item for item in gate_items if not item.met],
            "gate_done": [item for item in gate_items if item.met],
            "gate_met": gate_met,
            "actions": _phase_actions(project, request.user, gate_met),
            "can_manage": project_standing(project, request.user).is_manager,
            "advance_form": PhaseAdvanceForm(),
            # Two reason forms on one page: distinct element ids, same field name.
            "force_form": PhaseReasonForm(auto_id="force-%s"),
            "back_form": PhaseReasonForm(auto_id="back-%s"),
            "members": members,
            "work_items": selectors.work_item_list(project=project),
            "responsibilities": selectors.responsibility_rows(project=project, today=today),
            "risks": selectors.risk_list(project=project),
            "today": today,
            "reports": selectors.status_report_list(project=project, user=request.user)[:3],
            "phase_log": selectors.project_phase_log(project=project),
        },
    )


def _phase_change(request: HttpRequest, code: str, change, form_class, *, admin_only: bool = False) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    if admin_only and not project_standing(project, request.user).is_admin:
        raise PermissionDenied
    form = form_class(request.POST)
    back = redirect("projects:detail", code=project.code)
    if not form.is_valid():
        messages.error(request, _("Give the reason: it is recorded in the activity log."))
        return back
    return action_run(
        request,
        change,
        project=project,
        user=request.user,
        reason=form.cleaned_data["description"],
        success=lambda _result: _("The project is now in %(phase)s.") % {"phase": project.get_phase_display()},
        done=back,
        refusals=PHASE_REFUSALS,
    )


PHASE_REFUSALS = {
    services.GateNotPassed: lambda refused: (
        _("The gate is not passed. Missing: %(items)s") % {"items": _("; ").join(refused.missing)}
    ),
    ConcurrentTransition: lambda _error: _("Someone else changed the phase meanwhile. Please look again."),
}


@login_required
@require_POST
def project_phase_advance(request: HttpRequest, code: str) -> HttpResponse:
    return _phase_change(request, code, services.project_phase_advance, PhaseAdvanceForm)


@login_required
@require_POST
def project_phase_force(request: HttpRequest, code: str) -> HttpResponse:
    return _phase_change(request, code, services.project_phase_force, PhaseReasonForm, admin_only=True)


@login_required
@require_POST
def project_phase_back(request: HttpRequest, code: str) -> HttpResponse:
    return _phase_change(request, code, services.project_phase_back, PhaseReasonForm, admin_only=True)


# --- Team -----------------------------------------------------------------------------------


@login_required
@served_again_until_data_changes
def project_team(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    return render(
        request,
        "projects/team.html",
        {
            "project": project,
            "members": selectors.project_member_list(project=project),
            "can_manage": project_standing(project, request.user).is_manager,
        },
    )


@login_required
def project_team_export(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    members = selectors.project_member_list(project=project)
    if fmt == "csv":
        return contact_directory_csv(project=project, members=members)
    if fmt == "xlsx":
        return contact_directory_xlsx(project=project, members=members)
    raise Http404


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    form = MemberAddForm(request.POST or None, people=selectors.project_people_candidates(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            member = services.project_member_add(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            if form.cleaned_data["user"] is None:
                messages.success(
                    request,
                    _("%(name)s was added; an invitation to set a password was e-mailed to %(email)s.")
                    % {"name": member.name, "email": member.user.email},
                )
            else:
                messages.success(request, _("%(name)s was added to the team.") % {"name": member.name})
            return redirect("projects:team", code=project.code)
    return render(request, "projects/member_form.html", {"project": project, "form": form, "member": None})


@login_required
def member_edit(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    member = selectors.project_member_get(project=project, member_id=member_id)
    form = MemberEditForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        try:
            services.project_member_update(member=member, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Contact details saved."))
            return redirect("projects:team", code=project.code)
    return render(request, "projects/member_form.html", {"project": project, "form": form, "member": member})


@login_required
@require_POST
def member_remove(request: HttpRequest, code: str, member_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    member = selectors.project_member_get(project=project, member_id=member_id)
    return action_run(
        request,
        services.project_member_remove,
        member=member,
        actor=request.user,
        success=_("%(name)s was removed from the team.") % {"name": member.name},
        done=redirect("projects:team", code=project.code),
    )


# --- Division of labour and responsibilities ------------------------------------------------


@login_required
@served_again_until_data_changes
def project_work(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    today = timezone.localdate()
    return render(
        request,
        "projects/work.html",
        {
            "project": project,
            "work_items": selectors.work_item_list(project=project),
            "responsibilities": selectors.responsibility_rows(project=project, today=today),
            "can_manage": project_standing(project, request.user).is_manager,
            "is_customer_lead": project_standing(project, request.user).is_customer_lead,
            "customer_side": Side.CUSTOMER,
        },
    )


@login_required
def work_item_add(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    form = WorkItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.work_item_create(project=project, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Work item added."))
        return redirect("projects:work", code=project.code)
    return render(request, "projects/simple_form.html", _form_page(project, form, _("Add a work item"), "work"))


@login_required
def work_item_edit(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    work_item = selectors.work_item_get(project=project, work_item_id=item_id)
    form = WorkItemForm(request.POST or None, instance=work_item)
    if request.method == "POST" and form.is_valid():
        services.work_item_update(work_item=work_item, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Work item saved."))
        return redirect("projects:work", code=project.code)
    title = _("Work item: %(name)s") % {"name": work_item.label}
    return render(request, "projects/simple_form.html", _form_page(project, form, title, "work"))


@login_required
@require_POST
def work_item_delete(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    work_item = selectors.work_item_get(project=project, work_item_id=item_id)
    return action_run(
        request,
        services.work_item_delete,
        work_item=work_item,
        actor=request.user,
        success=_("Work item deleted."),
        done=redirect("projects:work", code=project.code),
    )


@login_required
def responsibility_edit(request: HttpRequest, code: str, item_id: int) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    item = selectors.responsibility_get(project=project, item_id=item_id)
    if not services.responsibility_user_can_update(item=item, user=request.user):
        raise PermissionDenied
    form = ResponsibilityForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.responsibility_update(item=item, actor=request.user, **form.cleaned_data)
        messages.success(request, _("Checklist item saved."))
        return redirect("projects:work", code=project.code)
    return render(request, "projects/simple_form.html", _form_page(project, form, item.label, "work"))


# --- Monitoring: risks and status reports ---------------------------------------------------


@login_required
@served_again_until_data_changes
def risk_list(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    return render(
        request,
        "projects/risks.html",
        {
            "project": project,
            "today": timezone.localdate(),
            "risks": selectors.risk_list(project=project),
            "can_manage": project_standing(project, request.user).is_manager,
        },
    )


@login_required
def risk_add(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    form = RiskForm(request.POST or None, people=selectors.project_people_choices(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_create(project=project, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Risk added to the register."))
            return redirect("projects:risks", code=project.code)
    return render(request, "projects/simple_form.html", _form_page(project, form, _("Add a risk"), "risks"))


@login_required
def risk_edit(request: HttpRequest, code: str, risk_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    risk = selectors.risk_get(project=project, risk_id=risk_id)
    form = RiskForm(request.POST or None, instance=risk, people=selectors.project_people_choices(project=project))
    if request.method == "POST" and form.is_valid():
        try:
            services.risk_update(risk=risk, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Risk saved."))
            return redirect("projects:risks", code=project.code)
    return render(request, "projects/simple_form.html", _form_page(project, form, _("Edit the risk"), "risks"))


@login_required
@served_again_until_data_changes
def status_report_list(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    return render(
        request,
        "projects/reports.html",
        {
            "project": project,
            "reports": selectors.status_report_list(project=project, user=request.user),
            "can_manage": project_standing(project, request.user).is_manager,
        },
    )


def _report_form_page(request: HttpRequest, project: Project, report: StatusReport | None) -> HttpResponse:
    """New draft or edit of a draft: the same form, one service each."""
    form = StatusReportForm(
        request.POST or None,
        instance=report or StatusReport(project=project),
        milestones=plan_milestones(project=project),
        initial=None if report else {"period_end": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if report is None:
                report = services.status_report_create(project=project, actor=request.user, **form.cleaned_data)
            else:
                services.status_report_update(report=report, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Draft saved. The customer sees the report once you publish it."))
            return redirect("projects:reports", code=project.code)
    title = _("Edit the draft status report") if report else _("New status report")
    return render(request, "projects/simple_form.html", _form_page(project, form, title, "reports"))


@login_required
def status_report_add(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    return _report_form_page(request, project, None)


@login_required
def status_report_edit(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    report = selectors.status_report_get(project=project, report_id=report_id)
    if not report.is_draft:
        messages.info(request, _("This status report is published; it can no longer be changed."))
        return redirect("projects:reports", code=project.code)
    return _report_form_page(request, project, report)


@login_required
@require_POST
def status_report_publish(request: HttpRequest, code: str, report_id: int) -> HttpResponse:
    project = selectors.project_get_for_manager(user=request.user, code=code)
    report = selectors.status_report_get(project=project, report_id=report_id)
    return action_run(
        request,
        services.status_report_publish,
        report=report,
        actor=request.user,
        success=_("Status report published to the customer side."),
        done=redirect("projects:reports", code=project.code),
    )


# --- Kick-off meeting (§3.1) ----------------------------------------------------------------


@login_required
def kickoff(request: HttpRequest, code: str) -> HttpResponse:
    """The record for everyone in the project; the form for the PM until the lead confirms it."""
    project = selectors.project_get_for_user(user=request.user, code=code)
    meeting = selectors.kickoff_get(project=project)
    can_manage = project_standing(project, request.user).is_manager
    editable = can_manage and (meeting is None or not meeting.is_confirmed)
    form = KickoffForm(request.POST or None, instance=meeting) if editable else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.kickoff_record(project=project, actor=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("Kick-off meeting record saved. The customer lead is asked to confirm it."))
                return redirect("projects:kickoff", code=project.code)
    context = {
        "project": project,
        "meeting": meeting,
        "form": form,
        "can_manage": can_manage,
        "can_confirm": meeting is not None
        and not meeting.is_confirmed
        and project_standing(project, request.user).is_customer_lead,
    }
    return render(request, "projects/kickoff.html", context, status=400 if form is not None and form.errors else 200)


@login_required
@require_POST
def kickoff_confirm(request: HttpRequest, code: str) -> HttpResponse:
    project = selectors.project_get_for_user(user=request.user, code=code)
    return action_run(
        request,
        services.kickoff_confirm,
        project=project,
        actor=request.user,
        success=_("Kick-off meeting record confirmed."),
        done=redirect("projects:kickoff", code=project.code),
    )
