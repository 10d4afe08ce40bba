"""Reads. Every query the support pages need, with the access rule built in.

Access: admins and people with an oversight role (technical director, sales lead, sales
directors, administration, engineers) see every request; a sales person sees the requests they
are the sales of; a project's vendor PM reads the support requests of that project; a customer
user sees their own organisation's requests and never internal notes, briefings, planning
documents, deviations, effort, escalations or the audit trail.
Anything else is 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import PurePath

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Max, Prefetch, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.enums import OrganizationKind
from accounts.models import Organization
from accounts.selectors import user_access
from delivery.people import display_name
from documents.hooks import WaitingItem
from projects.models import Project
from projects.permissions import project_vendor_lead_filter
from sealing.verification import DocumentReference, SealedRecord, SignerLine

from .enums import PlanningDocumentKind, ReportState, ServiceFormState, SupportRoleKind, required_planning_documents
from .models import (
    Deviation,
    EffortAccount,
    Escalation,
    InternalNote,
    PlanningDocument,
    RequestEvent,
    ServiceForm,
    SupportRequest,
    SupportRole,
    WeeklyReport,
    WeeklyReportEntry,
)
from .permissions import user_has_role, user_is_customer, user_is_technical_director, user_sees_all_requests

User = get_user_model()


# --- people -------------------------------------------------------------------------------------
def user_list_with_roles(*roles: str) -> QuerySet:
    """Active people holding any of ``roles`` (notification recipients, choice lists)."""
    return (
        User.objects.filter(is_active=True, support_roles__role__in=roles)
        .select_related("profile__organization")
        .distinct()
        .order_by("first_name", "username")
    )


def vendor_people_with_roles() -> list:
    """The vendor's active people with their support roles (the support settings page); 2 queries."""
    people = list(
        User.objects.filter(is_active=True, profile__organization__kind=OrganizationKind.VENDOR)
        .select_related("profile")
        .prefetch_related(Prefetch("support_roles", queryset=SupportRole.objects.order_by("role")))
        .order_by("first_name", "username")
    )
    return people


def role_granters() -> list:
    """Who grants support roles: the technical directors (administrators as well)."""
    return list(user_list_with_roles(SupportRoleKind.TECHNICAL_DIRECTOR))


def customer_contact_choices(*, customer_id: int | None) -> QuerySet:
    return (
        User.objects.filter(
            is_active=True, profile__organization_id=customer_id, profile__organization__kind=OrganizationKind.CUSTOMER
        )
        .select_related("profile__organization")
        .order_by("first_name", "username")
    )


def customer_choices() -> QuerySet[Organization]:
    return Organization.objects.filter(kind=OrganizationKind.CUSTOMER).order_by("name")


def project_choices() -> QuerySet[Project]:
    return Project.objects.select_related("customer").order_by("code")


# --- requests -----------------------------------------------------------------------------------
def _visible_filter(*, user: AbstractBaseUser) -> Q | None:
    """The row filter for ``user``; None means every request."""
    if user_sees_all_requests(user):
        return None
    access = user_access(user)
    if access.is_vendor_staff:
        return Q(sales_id=user.pk) | project_vendor_lead_filter(user, through="project__")
    if user_is_customer(user):
        return Q(customer_id=access.organization_id)
    return Q(pk__in=[])


def support_request_list_for_user(*, user: AbstractBaseUser) -> QuerySet[SupportRequest]:
    if not user.is_authenticated or not user.is_active:
        return SupportRequest.objects.none()
    visible = _visible_filter(user=user)
    requests = SupportRequest.objects.select_related("customer", "project", "sales", "engineer")
    return requests if visible is None else requests.filter(visible)


def support_request_list_filtered(
    *, user: AbstractBaseUser, state: str = "", mine: bool = False
) -> QuerySet[SupportRequest]:
    requests = support_request_list_for_user(user=user)
    if state:
        requests = requests.filter(state=state)
    if mine:
        requests = requests.filter(Q(sales_id=user.pk) | Q(engineer_id=user.pk) | Q(customer_contact_id=user.pk))
    return requests.order_by("-created_at", "-id")


def support_request_get_for_user(*, user: AbstractBaseUser, pk: int) -> SupportRequest:
    """The request if ``user`` may see it; 404 otherwise (never 403: that would confirm it exists)."""
    try:
        return (
            support_request_list_for_user(user=user)
            .select_related("customer_contact", "emergency_approved_by")
            .get(pk=pk)
        )
    except SupportRequest.DoesNotExist:
        raise Http404 from None


def service_form_for_support_request(*, support_request: SupportRequest) -> ServiceForm | None:
    return ServiceForm.objects.filter(request=support_request).select_related("signer", "prepared_by").first()


@dataclass
class InternalView:
    """What vendor people see on a request page besides the request itself."""

    notes: list[InternalNote] = field(default_factory=list)
    deviations: list[Deviation] = field(default_factory=list)
    escalations: list[Escalation] = field(default_factory=list)
    planning_documents: list[PlanningDocument] = field(default_factory=list)
    events: list[RequestEvent] = field(default_factory=list)
    efforts: list[EffortAccount] = field(default_factory=list)
    reported_hours: list[tuple[str, Decimal]] = field(default_factory=list)  # (engineer, signed hours)


def support_request_internal_view(*, support_request: SupportRequest) -> InternalView:
    """Five queries whatever the size of each list (plus two for effort)."""
    return InternalView(
        notes=list(support_request.internal_notes.select_related("author")),
        deviations=list(support_request.deviations.select_related("reported_by", "result_by")),
        escalations=list(support_request.escalations.select_related("raised_by", "resolved_by")),
        planning_documents=list(support_request.planning_documents.select_related("updated_by")),
        events=list(support_request.events.select_related("actor")),
        efforts=list(support_request.effort_accounts.select_related("engineer", "set_by")),
        reported_hours=support_request_signed_hours(support_request=support_request),
    )


def support_request_signed_hours(*, support_request: SupportRequest) -> list[tuple[str, Decimal]]:
    """Hours per engineer on ``request`` from signed weekly reports (§6: effort is accounted from these)."""
    rows = (
        WeeklyReportEntry.objects.filter(request=support_request, report__state=ReportState.SIGNED)
        .values("report__engineer_id", "report__engineer__first_name", "report__engineer__last_name")
        .annotate(hours=Sum("hours"), username=Max("report__engineer__username"))
        .order_by("report__engineer__first_name", "report__engineer_id")
    )
    result = []
    for row in rows:
        name = f"{row['report__engineer__first_name']} {row['report__engineer__last_name']}".strip()
        result.append((name or row["username"], row["hours"]))
    return result


def support_request_work_start_missing(
    *, support_request: SupportRequest, documents: list[PlanningDocument] | None = None
) -> list[str]:
    """What must be done before work starts (§6 "Before work"), in the reader's language."""
    missing = []
    if not support_request.briefing_recorded:
        missing.append(_("Record the pre-work briefing with sales."))
    if documents is None:
        documents = list(support_request.planning_documents.all())
    by_kind = {document.kind: document for document in documents}
    for kind in required_planning_documents(is_project=support_request.is_project_support):
        document = by_kind.get(kind)
        if document is None or not document.is_complete:
            missing.append(
                _("Complete the %(document)s (every section, or attach the finished document).")
                % {"document": PlanningDocumentKind(kind).label}
            )
    return missing


def support_request_completion_missing(*, support_request: SupportRequest, form: ServiceForm | None) -> list[str]:
    """What the engineer's completion confirmation needs (§6 "Completion")."""
    missing = []
    if not support_request.outcome_recorded_at:
        missing.append(_("Record the outcome of the work."))
    if form is None or not form.is_signed:
        missing.append(_("Get the support service form signed by the customer (online or on paper)."))
    return missing


def planning_document_get(*, support_request: SupportRequest, kind: str) -> PlanningDocument | None:
    return PlanningDocument.objects.filter(request=support_request, kind=kind).select_related("updated_by").first()


def support_request_archive_files(*, support_request: SupportRequest) -> list[tuple[str, object]]:
    """The request's documents (§6 "documents are archived"): (name in the archive, FieldFile)."""
    files: list[tuple[str, object]] = []
    form = service_form_for_support_request(support_request=support_request)
    if form is not None and form.pdf:
        files.append((f"{support_request.reference}-service-form-signed.pdf", form.pdf))
    if form is not None and form.paper_scan:
        files.append(
            (f"{support_request.reference}-service-form-paper-{PurePath(form.paper_name).name}", form.paper_scan)
        )
    for document in support_request.planning_documents.all():
        if document.file:
            files.append(
                (f"{support_request.reference}-{document.kind}-{PurePath(document.file_name).name}", document.file)
            )
    return files


# --- weekly reports and effort ------------------------------------------------------------------
def user_sees_all_reports(user: AbstractBaseUser) -> bool:
    return user_is_technical_director(user) or user_has_role(user, SupportRoleKind.ADMINISTRATION)


def report_list_for_user(*, user: AbstractBaseUser) -> QuerySet[WeeklyReport]:
    """All reports for the technical director and administration; otherwise one's own and the
    ones one is asked to sign."""
    if not user.is_authenticated or not user.is_active:
        return WeeklyReport.objects.none()
    reports = WeeklyReport.objects.select_related("engineer", "signer", "customer")
    if user_sees_all_reports(user):
        return reports
    return reports.filter(Q(engineer_id=user.pk) | Q(signer_id=user.pk))


def report_list_annotated(*, user: AbstractBaseUser) -> QuerySet[WeeklyReport]:
    return report_list_for_user(user=user).annotate(total_hours=Sum("entries__hours")).order_by("-week_start", "id")


def report_get_for_user(*, user: AbstractBaseUser, pk: int) -> WeeklyReport:
    entries = WeeklyReportEntry.objects.select_related("request__customer").order_by("work_date", "id")
    try:
        return report_list_for_user(user=user).prefetch_related(Prefetch("entries", queryset=entries)).get(pk=pk)
    except WeeklyReport.DoesNotExist:
        raise Http404 from None


def report_request_choices(*, engineer: AbstractBaseUser) -> QuerySet[SupportRequest]:
    """Requests an engineer can report work on: the ones assigned to them, not cancelled."""
    return (
        SupportRequest.objects.filter(engineer_id=engineer.pk)
        .exclude(state="cancelled")
        .select_related("customer")
        .order_by("-created_at")
    )


def report_signer_choices(*, report: WeeklyReport) -> list:
    """§6: the sales of any request reported on, or a customer person whose organisation owns
    every request in the report."""
    rows = list(SupportRequest.objects.filter(report_entries__report=report).values_list("sales_id", "customer_id"))
    sales_ids = {sales_id for sales_id, _customer_id in rows}
    customer_ids = {customer_id for _sales_id, customer_id in rows}
    people = list(
        User.objects.filter(pk__in=sales_ids, is_active=True)
        .select_related("profile__organization")
        .order_by("first_name", "username")
    )
    if len(customer_ids) == 1:
        people += list(customer_contact_choices(customer_id=customer_ids.pop()))
    return people


def user_can_see_effort(user: AbstractBaseUser) -> bool:
    """The technical director and administration see everyone's effort; sales their own requests'."""
    return user_sees_all_reports(user) or user_has_role(user, SupportRoleKind.SALES)


def effort_sales_scope(user: AbstractBaseUser) -> int | None:
    """None: the whole table; otherwise the sales person whose requests' effort ``user`` reads."""
    return None if user_sees_all_reports(user) else user.pk


@dataclass(frozen=True)
class EffortRow:
    engineer: object
    support_request: SupportRequest
    reported_hours: Decimal
    estimated_hours: Decimal | None
    accounted_hours: Decimal | None

    @property
    def difference(self) -> Decimal | None:
        if self.estimated_hours is None or self.accounted_hours is None:
            return None
        return self.accounted_hours - self.estimated_hours


@dataclass(frozen=True)
class EffortTable:
    year: int
    month: int
    rows: list[EffortRow]

    @property
    def label(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    def _total(self, name: str) -> Decimal:
        return sum((getattr(row, name) or Decimal("0") for row in self.rows), Decimal("0"))

    @property
    def total_reported(self) -> Decimal:
        return self._total("reported_hours")

    @property
    def total_estimated(self) -> Decimal:
        return self._total("estimated_hours")

    @property
    def total_accounted(self) -> Decimal:
        return self._total("accounted_hours")


def effort_table_for_month(*, year: int, month: int, sales_id: int | None = None) -> EffortTable:
    """One row per engineer × request with the hours of the signed weekly report lines whose work
    was done in the month (a week spanning two months is split by its lines' days), next to the
    technical director's estimate and accounted hours. Four queries."""
    first = datetime.date(year, month, 1)
    after = datetime.date(year + (month == 12), month % 12 + 1, 1)
    sums = list(
        WeeklyReportEntry.objects.filter(report__state=ReportState.SIGNED, work_date__gte=first, work_date__lt=after)
        .filter(Q() if sales_id is None else Q(request__sales_id=sales_id))
        .values("report__engineer_id", "request_id")
        .annotate(hours=Sum("hours"))
        .order_by()
    )
    engineers = User.objects.in_bulk({row["report__engineer_id"] for row in sums})
    requests = SupportRequest.objects.select_related("customer").in_bulk({row["request_id"] for row in sums})
    accounts = {
        (account.engineer_id, account.request_id): account
        for account in EffortAccount.objects.filter(request_id__in=requests.keys())
    }
    rows = []
    for row in sums:
        account = accounts.get((row["report__engineer_id"], row["request_id"]))
        rows.append(
            EffortRow(
                engineer=engineers[row["report__engineer_id"]],
                support_request=requests[row["request_id"]],
                reported_hours=row["hours"],
                estimated_hours=account.estimated_hours if account else None,
                accounted_hours=account.accounted_hours if account else None,
            )
        )
    rows.sort(key=lambda r: (display_name(r.engineer), r.support_request.pk))
    return EffortTable(year=year, month=month, rows=rows)


# --- what waits for a person --------------------------------------------------------------------
def service_forms_waiting_for(*, user: AbstractBaseUser) -> QuerySet[ServiceForm]:
    """Service forms the customer contact ``user`` is asked to sign (one query)."""
    return (
        ServiceForm.objects.filter(request__customer_contact_id=user.pk, state="awaiting_signature")
        .select_related("request")
        .order_by("sent_at")
    )


def reports_waiting_for(*, user: AbstractBaseUser) -> QuerySet[WeeklyReport]:
    return (
        WeeklyReport.objects.filter(signer_id=user.pk, state=ReportState.SUBMITTED)
        .select_related("engineer")
        .order_by("submitted_at")
    )


@dataclass(frozen=True)
class SalesWaiting:
    """What waits for sales (§6): completions to confirm, emergency work to file formally,
    deviations whose agreed result is not recorded."""

    to_confirm: list[SupportRequest]
    to_file: list[SupportRequest]
    deviations: list[Deviation]

    def __bool__(self) -> bool:
        return bool(self.to_confirm or self.to_file or self.deviations)


def sales_waiting_for(*, user: AbstractBaseUser) -> SalesWaiting:
    """Three queries, whatever the number of requests."""
    if not user_has_role(user, SupportRoleKind.SALES):
        return SalesWaiting([], [], [])
    mine = SupportRequest.objects.filter(sales_id=user.pk).select_related("customer")
    return SalesWaiting(
        to_confirm=list(mine.filter(state="completed").order_by("completed_at")),
        to_file=list(mine.filter(state="emergency").order_by("emergency_approved_at")),
        deviations=list(
            Deviation.objects.filter(request__sales_id=user.pk, result="")
            .exclude(request__state__in=["closed", "cancelled"])
            .select_related("request")
            .order_by("reported_at")
        ),
    )


def waiting_signature_items(user: AbstractBaseUser) -> list:
    """The service forms and weekly reports ``user`` is asked to sign, for the "waiting for my
    signature" card and page (documents.hooks); two queries."""
    if not user.is_authenticated:
        return []
    items = [
        WaitingItem(
            label=_("Support service form %(reference)s") % {"reference": form.request.reference},
            url=reverse("support:form_sign", args=[form.request_id]),
            detail=form.request.title,
            since=form.sent_at,
        )
        for form in service_forms_waiting_for(user=user)
    ]
    items += [
        WaitingItem(
            label=_("Weekly technical report of %(week)s") % {"week": report.week_start.isoformat()},
            url=report.get_absolute_url(),
            detail=display_name(report.engineer),
            since=report.submitted_at,
        )
        for report in reports_waiting_for(user=user)
    ]
    return items


def support_sealed_record(reference: DocumentReference) -> SealedRecord | None:
    """For the verification page: a sealed service form or weekly report, if on record as signed."""
    if reference.document_type == "support_service_form":
        # The request's reference is "TS-<pk>" (SupportRequest.reference).
        request_pk = reference.project_code.removeprefix("TS-")
        form = (
            ServiceForm.objects.filter(
                request_id=int(request_pk) if request_pk.isdigit() else None,
                sha256=reference.sha256,
                state=ServiceFormState.SIGNED,
            )
            .select_related("request")
            .first()
        )
        if form is None or form.request.reference != reference.project_code:
            return None
        return SealedRecord(
            name=_("Support service form"),
            project=f"{form.request.reference} · {form.request.title}",
            version=reference.version,
            signers=[SignerLine(_("Customer"), form.typed_name, form.signed_at)],
        )
    if reference.document_type == "support_weekly_report" and reference.version.isdigit():
        report = (
            WeeklyReport.objects.filter(pk=int(reference.version), sha256=reference.sha256, state=ReportState.SIGNED)
            .select_related("engineer")
            .first()
        )
        if report is None:
            return None
        return SealedRecord(
            name=_("Weekly technical report"),
            project=f"{display_name(report.engineer)} · {report.week_start.isoformat()}",
            version=reference.version,
            signers=[SignerLine(_("Signed by"), report.typed_name, report.signed_at)],
        )
    return None
