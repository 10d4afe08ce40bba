"""Weekly technical reports and the monthly effort table (§6 effort)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.forms import stepup_field_for_user
from delivery.files import stored_file_response
from delivery.forms import form_add_service_error
from delivery.pagecache import served_again_until_data_changes

from .. import services
from ..enums import ReportState
from ..exports import effort_table_xlsx
from ..forms import (
    MonthForm,
    ReportEntryForm,
    ReportSubmitForm,
    SignForm,
    WeeklyReportForm,
)
from ..models import WeeklyReport
from ..permissions import (
    user_is_customer,
    user_is_engineer,
)
from ..selectors import (
    effort_sales_scope,
    effort_table_for_month,
    report_get_for_user,
    report_list_annotated,
    report_request_choices,
    report_signer_choices,
    user_can_see_effort,
)
from ._common import (
    PAGE_SIZE,
    meta_of,
)


# --- weekly reports -------------------------------------------------------------------------------
@login_required
@served_again_until_data_changes
def report_list(request: HttpRequest) -> HttpResponse:
    reports = Paginator(report_list_annotated(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_create = user_is_engineer(request.user)
    form = WeeklyReportForm(request.POST or None, initial={"week_start": timezone.localdate()})
    if request.method == "POST":
        if not can_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                report = services.weekly_report_create(user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                return redirect(report)
    context = {
        "page": reports,
        "form": form,
        "can_create": can_create,
        "can_see_effort": user_can_see_effort(request.user),
        "is_customer": user_is_customer(request.user),
    }
    return render(request, "support/report_list.html", context)


def _report_page(request: HttpRequest, report: WeeklyReport, bound: dict | None = None) -> HttpResponse:
    is_author = report.engineer_id == request.user.pk
    forms = {}
    if is_author and report.state == "draft":
        forms["entry"] = ReportEntryForm(
            requests=report_request_choices(engineer=request.user), week_start=report.week_start
        )
        forms["submit"] = ReportSubmitForm(signers=report_signer_choices(report=report))
    if report.signer_id == request.user.pk and report.state == "submitted":
        forms["sign"] = SignForm()
        stepup_field_for_user(forms["sign"], user=request.user)
    forms.update(bound or {})
    entries = list(report.entries.all())
    customers = {entry.request.customer for entry in entries}
    context = {
        "report": report,
        "entries": entries,
        # §6: a report for several customers is signed whole by sales, or split so each customer signs.
        "can_split": is_author and report.state == ReportState.DRAFT and len(customers) > 1,
        "customer_count": len(customers),
        "total_hours": sum((entry.hours for entry in entries), 0),
        "is_author": is_author,
        "forms": forms,
    }
    return render(request, "support/report_detail.html", context)


@login_required
@served_again_until_data_changes
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    return _report_page(request, report)


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The sealed PDF of a signed report, for whoever may see the report."""
    report = report_get_for_user(user=request.user, pk=pk)
    if not report.pdf_ready:
        raise Http404
    filename = f"weekly-report-{report.week_start.isoformat()}-{report.pk}.pdf"
    return stored_file_response(report.pdf, filename=filename, content_type="application/pdf")


def _report_action(request: HttpRequest, pk: int, *, form, name: str, run, done: str) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    if form is None or form.is_valid():
        try:
            run(report, form.cleaned_data if form is not None else {})
        except ValidationError as error:
            if form is None:
                for message in error.messages:
                    messages.error(request, message)
                return redirect(report)
            form_add_service_error(form, error)
        else:
            messages.success(request, done)
            return redirect(report)
    report = report_get_for_user(user=request.user, pk=pk)
    return _report_page(request, report, {name: form})


@login_required
@require_POST
def report_entry_add(request: HttpRequest, pk: int) -> HttpResponse:
    report_get_for_user(user=request.user, pk=pk)
    form = ReportEntryForm(request.POST, requests=report_request_choices(engineer=request.user))

    def run(report, data):
        return services.weekly_report_entry_add(report=report, user=request.user, **data)

    return _report_action(request, pk, form=form, name="entry", run=run, done=_("Line added."))


@login_required
@require_POST
def report_entry_remove(request: HttpRequest, pk: int, entry_id: int) -> HttpResponse:
    def run(report, data):
        return services.weekly_report_entry_remove(report=report, user=request.user, entry_id=entry_id)

    return _report_action(request, pk, form=None, name="", run=run, done=_("Line removed."))


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    form = ReportSubmitForm(request.POST, signers=report_signer_choices(report=report))

    def run(report, data):
        return services.weekly_report_submit(report=report, user=request.user, signer=data["signer"])

    return _report_action(request, pk, form=form, name="submit", run=run, done=_("Report sent for signature."))


@login_required
@require_POST
def report_split(request: HttpRequest, pk: int) -> HttpResponse:
    report = report_get_for_user(user=request.user, pk=pk)
    try:
        reports = services.weekly_report_split(report=report, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(report)
    messages.success(
        request,
        _("Report split into %(count)d reports, one per customer; each customer can now sign its own lines.")
        % {"count": len(reports)},
    )
    return redirect(reports[0])


@login_required
@require_POST
def report_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    def run(report, data):
        return services.weekly_report_withdraw(report=report, user=request.user)

    return _report_action(request, pk, form=None, name="", run=run, done=_("Report withdrawn; it is a draft again."))


@login_required
@require_POST
def report_sign(request: HttpRequest, pk: int) -> HttpResponse:
    form = SignForm(request.POST)
    stepup_field_for_user(form, user=request.user)

    def run(report, data):
        return services.weekly_report_sign(report=report, user=request.user, meta=meta_of(request), **data)

    return _report_action(request, pk, form=form, name="sign", run=run, done=_("Report signed."))


# --- effort ---------------------------------------------------------------------------------------
def _effort_month(request: HttpRequest) -> tuple[MonthForm, int, int]:
    today = timezone.localdate()
    form = MonthForm(request.GET or {"month": f"{today:%Y-%m}"})
    if form.is_valid():
        year, month = form.year_month()
    else:
        year, month = today.year, today.month
    return form, year, month


@login_required
def effort_table(request: HttpRequest) -> HttpResponse:
    if not user_can_see_effort(request.user):
        raise Http404
    form, year, month = _effort_month(request)
    table = effort_table_for_month(year=year, month=month, sales_id=effort_sales_scope(request.user))
    return render(
        request,
        "support/effort_table.html",
        {"form": form, "table": table, "sales_only": effort_sales_scope(request.user) is not None},
    )


@login_required
def effort_export(request: HttpRequest) -> HttpResponse:
    if not user_can_see_effort(request.user):
        raise Http404
    form, year, month = _effort_month(request)
    if not form.is_valid():
        messages.error(request, form.errors["month"][0])
        return redirect("support:effort")
    table = effort_table_for_month(year=year, month=month, sales_id=effort_sales_scope(request.user))
    response = HttpResponse(
        effort_table_xlsx(table), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="support-effort-{table.label}.xlsx"'
    return response
