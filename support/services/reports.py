"""Weekly technical reports (§6): the engineer reports work per request and hours each week, the
customer or the sales person signs, and effort is accounted from signed reports only.

Lifecycle: draft (lines added and removed; split per customer when its lines are for several
customers) → submitted to one signer (content fingerprinted) → signed (typed name, consent,
password), or withdrawn back to draft before signing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from deadlines.calendar import local_date
from delivery.people import display_name
from notifications.services import notification_create
from sealing.credentials import signature_credentials_check
from sealing.fingerprint import canonical_sha256
from sealing.services import sealed_pdf_effect

from .. import verbs
from ..enums import ReportState
from ..models import SupportRequest, WeeklyReport, WeeklyReportEntry
from ..permissions import user_is_engineer
from ..selectors import report_request_choices, report_signer_choices
from ._common import RequestMeta

MAX_HOURS_PER_LINE = Decimal("168")  # the hours of a week


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _lock(report: WeeklyReport) -> WeeklyReport:
    return WeeklyReport.objects.select_for_update(of=("self",)).select_related("engineer", "signer").get(pk=report.pk)


def weekly_report_content(report: WeeklyReport) -> dict:
    entries = report.entries.select_related("request").order_by("work_date", "id")
    return {
        "engineer": display_name(report.engineer),
        "week_start": report.week_start.isoformat(),
        "summary": report.summary,
        "entries": [
            [entry.request.reference, entry.work_done, str(entry.hours), entry.work_date.isoformat()]
            for entry in entries
        ],
    }


def weekly_report_hash(report: WeeklyReport) -> str:
    return canonical_sha256(weekly_report_content(report))


def _notify_report(*, report: WeeklyReport, recipient, verb, actor) -> None:
    notification_create(
        recipients=[recipient],
        verb=verb.code,
        context={"actor": display_name(actor), "week": report.week_start.isoformat()},
        target=report,
        url=report.get_absolute_url(),
    )


@transaction.atomic
def weekly_report_create(*, user: AbstractUser, week_start: datetime.date, summary: str = "") -> WeeklyReport:
    if not user_is_engineer(user):
        raise PermissionDenied
    monday = week_monday(week_start)
    if monday > local_date(timezone.now()):
        raise ValidationError({"week_start": _("A report covers a week that has begun, not a future one.")})
    if WeeklyReport.objects.filter(engineer=user, week_start=monday, customer__isnull=True).exists():
        raise ValidationError({"week_start": _("There is already a report for this week.")})
    try:
        with transaction.atomic():
            return WeeklyReport.objects.create(engineer=user, week_start=monday, summary=(summary or "").strip())
    except IntegrityError:  # a second tab created it meanwhile
        raise ValidationError({"week_start": _("There is already a report for this week.")}) from None


def _require_draft_of(report: WeeklyReport, user: AbstractUser) -> None:
    if report.engineer_id != user.pk:
        raise PermissionDenied
    if report.state != "draft":
        raise ValidationError(_("Only a draft report can be changed."))


@transaction.atomic
def weekly_report_entry_add(
    *,
    report: WeeklyReport,
    user: AbstractUser,
    support_request: SupportRequest,
    work_done: str,
    hours: Decimal,
    work_date: datetime.date,
) -> WeeklyReportEntry:
    """A line: the day the work was done (it decides the month the effort counts in), the request,
    the work and the hours."""
    report = _lock(report)
    _require_draft_of(report, user)
    errors = {}
    week_end = report.week_start + datetime.timedelta(days=6)
    if work_date is None or not report.week_start <= work_date <= week_end:
        errors["work_date"] = _("Choose a day of the report's week (%(first)s to %(last)s).") % {
            "first": report.week_start.isoformat(),
            "last": week_end.isoformat(),
        }
    if not report_request_choices(engineer=user).filter(pk=support_request.pk).exists():
        errors["support_request"] = _("You can report work only on requests assigned to you.")
    elif report.customer_id is not None and support_request.customer_id != report.customer_id:
        errors["support_request"] = _(
            "This report is for %(customer)s only; report other customers' work in the week's general report."
        ) % {"customer": report.customer}
    if not (work_done or "").strip():
        errors["work_done"] = _("Describe the work done.")
    if hours is None or hours <= 0 or hours > MAX_HOURS_PER_LINE:
        errors["hours"] = _("Enter between 0.5 and 168 hours.")
    if errors:
        raise ValidationError(errors)
    return WeeklyReportEntry.objects.create(
        report=report, request=support_request, work_date=work_date, work_done=work_done.strip(), hours=hours
    )


@transaction.atomic
def weekly_report_entry_remove(*, report: WeeklyReport, user: AbstractUser, entry_id: int) -> None:
    report = _lock(report)
    _require_draft_of(report, user)
    deleted, _rows = WeeklyReportEntry.objects.filter(report=report, pk=entry_id).delete()
    if not deleted:
        raise ValidationError(_("This line is no longer in the report."))


def _customer_reports_of_week(report: WeeklyReport, customers: list) -> dict[int, WeeklyReport | None]:
    """The engineer's existing report of the week for each customer, locked; each must still be a
    draft for lines to move into it."""
    existing = WeeklyReport.objects.select_for_update().filter(
        engineer_id=report.engineer_id, week_start=report.week_start, customer__in=customers
    )
    by_customer = {other.customer_id: other for other in existing}
    for customer in customers:
        other = by_customer.get(customer.pk)
        if other is not None and other.state != ReportState.DRAFT:
            raise ValidationError(
                _("The report of %(customer)s for this week is already sent for signature; withdraw it first.")
                % {"customer": customer}
            )
    return {customer.pk: by_customer.get(customer.pk) for customer in customers}


@transaction.atomic
def weekly_report_split(*, report: WeeklyReport, user: AbstractUser) -> list[WeeklyReport]:
    """§6: split a report whose lines are for several customers into one report per customer, so
    each customer signs its own lines (sales may still sign a mixed report whole).

    Each customer's lines go to the engineer's report of the week for that customer: an existing
    draft, else this report (for the first customer, by name), else a new one. Returns the reports
    in the customers' order; this report is deleted when every line went elsewhere."""
    report = _lock(report)
    _require_draft_of(report, user)
    customers = sorted(
        {entry.request.customer for entry in report.entries.select_related("request__customer")},
        key=lambda customer: (customer.name, customer.pk),
    )
    if len(customers) < 2:
        raise ValidationError(_("All lines of this report are for one customer; there is nothing to split."))
    targets = _customer_reports_of_week(report, customers)
    keeper = next((customer for customer in customers if targets[customer.pk] is None), None)
    result = []
    for customer in customers:
        target = targets[customer.pk]
        if target is None and customer == keeper:
            report.customer = customer
            report.save(update_fields=["customer", "updated_at"])
            target = report
        elif target is None:
            target = WeeklyReport.objects.create(
                engineer=report.engineer, week_start=report.week_start, customer=customer, summary=report.summary
            )
        if target != report:
            WeeklyReportEntry.objects.filter(report=report, request__customer=customer).update(report=target)
        result.append(target)
    if keeper is None:
        report.delete()
    return result


@transaction.atomic
def weekly_report_submit(*, report: WeeklyReport, user: AbstractUser, signer: AbstractUser) -> WeeklyReport:
    """Freeze the report and ask one signer: the sales of a request in it, or the customer."""
    report = _lock(report)
    _require_draft_of(report, user)
    if not report.entries.exists():
        raise ValidationError(_("Add at least one line before submitting."))
    if signer is None or signer.pk not in {person.pk for person in report_signer_choices(report=report)}:
        raise ValidationError(
            {"signer": _("Choose the sales person of a request in the report, or a person of its customer.")}
        )
    report.submit(signer=signer, sha256=weekly_report_hash(report), at=timezone.now())
    report.save()
    _notify_report(report=report, recipient=signer, verb=verbs.REPORT_SUBMITTED, actor=user)
    return report


@transaction.atomic
def weekly_report_withdraw(*, report: WeeklyReport, user: AbstractUser) -> WeeklyReport:
    report = _lock(report)
    if report.engineer_id != user.pk:
        raise PermissionDenied
    if not can_proceed(report.reopen):
        raise ValidationError(_("Only a report waiting for its signature can be withdrawn."))
    report.reopen()
    report.save()
    return report


@transaction.atomic
def weekly_report_sign(
    *, report: WeeklyReport, user: AbstractUser, meta: RequestMeta, typed_name: str, password: str, consent: bool
) -> WeeklyReport:
    report = _lock(report)
    if report.signer_id != user.pk:
        raise PermissionDenied
    if not can_proceed(report.sign):
        raise ValidationError(_("This report is not waiting for a signature."))
    signature_credentials_check(
        user=user,
        typed_name=typed_name,
        password=password,
        consent=consent,
        consent_message=_("Tick the box to confirm that you sign this report."),
        meta=meta,
    )
    if weekly_report_hash(report) != report.sha256:
        raise ValidationError(_("The report's content does not match its fingerprint; it cannot be signed."))
    report.sign(
        typed_name=typed_name.strip(), at=timezone.now(), ip_address=meta.ip_address, user_agent=meta.user_agent
    )
    report.save()
    _notify_report(report=report, recipient=report.engineer, verb=verbs.REPORT_SIGNED, actor=user)
    sealed_pdf_effect(report, kind="weekly_report")
    return report
