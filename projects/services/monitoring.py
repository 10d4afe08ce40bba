"""Monitoring a project (§3.1, §5): risks, status reports and the escalation of overdue risks."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.people import display_name
from notifications.services import notification_create

from ..enums import Phase, ReportStatus, RiskStatus, Side
from ..models import Project, Risk, StatusReport
from ..verbs import RISK_ESCALATED, STATUS_REPORT_ADDED
from .common import require_manager

# --- Monitoring: risks and status reports (§3.1, §5) ----------------------------------------


def _check_risk_owner(project: Project, owner: AbstractUser | None) -> None:
    if owner is not None and not project.members.filter(user=owner).exists():
        raise ValidationError({"owner": _("The owner must be a member of the project team.")})


@transaction.atomic
def risk_create(
    *,
    project: Project,
    actor: AbstractUser,
    description: str,
    probability: str,
    impact: str,
    owner: AbstractUser | None = None,
    response: str = "",
    status: str = "open",
    response_due: datetime.date | None = None,
) -> Risk:
    require_manager(project, actor)
    _check_risk_owner(project, owner)
    risk = Risk(
        project=project,
        description=description,
        probability=probability,
        impact=impact,
        owner=owner,
        response=response,
        status=status,
        response_due=response_due,
    )
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, risk: Risk, actor: AbstractUser, **changes: object) -> Risk:
    require_manager(risk.project, actor)
    allowed = {"description", "probability", "impact", "owner", "response", "status", "response_due"}
    if set(changes) - allowed:
        raise TypeError(f"Not editable: {sorted(set(changes) - allowed)}")
    _check_risk_owner(risk.project, changes.get("owner", risk.owner))
    if "response_due" in changes and changes["response_due"] != risk.response_due:
        risk.escalated_at = None  # a new response date: escalate again if that one is missed too
    for field, value in changes.items():
        setattr(risk, field, value)
    risk.full_clean()
    risk.save()
    return risk


def _customer_side(project: Project) -> Iterable[AbstractUser]:
    return [member.user for member in project.members.select_related("user").filter(side=Side.CUSTOMER)]


def _clean_progress(rows: list[dict]) -> list[dict]:
    """Milestone progress as [{"name", "percent"}], each percent a whole number from 0 to 100."""
    cleaned = []
    for row in rows:
        percent = row.get("percent")
        if not isinstance(percent, int) or not 0 <= percent <= 100:
            raise ValidationError({"milestone_progress": _("Percent complete is a whole number from 0 to 100.")})
        cleaned.append({"name": str(row.get("name", "")), "percent": percent})
    return cleaned


def _check_report(report: StatusReport, today: datetime.date) -> None:
    """§5: a report covers a period inside the project's planned dates, and not the future."""
    project = report.project
    if report.period_start is None or report.period_end is None:
        raise ValidationError({"period_start": _("Give the reporting period.")})
    if report.period_end < report.period_start:
        raise ValidationError({"period_end": _("The period cannot end before it starts.")})
    if report.period_start < project.planned_start or report.period_end > project.planned_end:
        dates = {"start": f"{project.planned_start:%Y-%m-%d}", "end": f"{project.planned_end:%Y-%m-%d}"}
        message = _("The reporting period must lie inside the project's planned dates, %(start)s – %(end)s.")
        raise ValidationError({"period_start": message % dates})
    if report.period_start > today:
        raise ValidationError({"period_start": _("A status report cannot cover a period that has not started.")})


REPORT_EDITABLE_FIELDS = {"period_start", "period_end", "rag", "milestone_progress", "progress_summary", "known_risks"}


@transaction.atomic
def status_report_create(
    *,
    project: Project,
    actor: AbstractUser,
    period_start: datetime.date,
    period_end: datetime.date,
    progress_summary: str,
    rag: str = "green",
    milestone_progress: list[dict] | None = None,
    known_risks: str = "",
) -> StatusReport:
    """§5: the vendor PM drafts a status report; nobody is told until it is published."""
    require_manager(project, actor)
    report = StatusReport(
        project=project,
        report_date=timezone.localdate(),
        period_start=period_start,
        period_end=period_end,
        rag=rag,
        milestone_progress=_clean_progress(milestone_progress or []),
        progress_summary=progress_summary,
        known_risks=known_risks,
        author=actor,
    )
    _check_report(report, timezone.localdate())
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def status_report_update(*, report: StatusReport, actor: AbstractUser, **changes: object) -> StatusReport:
    """A draft is edited until it is published; a published report is what the customer read."""
    report = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    require_manager(report.project, actor)
    if set(changes) - REPORT_EDITABLE_FIELDS:
        raise TypeError(f"Not editable: {sorted(set(changes) - REPORT_EDITABLE_FIELDS)}")
    if not report.is_draft:
        raise ValidationError(_("This status report is published; it can no longer be changed."))
    if "milestone_progress" in changes:
        changes["milestone_progress"] = _clean_progress(changes["milestone_progress"] or [])
    for field, value in changes.items():
        setattr(report, field, value)
    _check_report(report, timezone.localdate())
    report.full_clean()
    report.save()
    return report


@transaction.atomic
def status_report_publish(*, report: StatusReport, actor: AbstractUser) -> StatusReport:
    """Publish the draft: the customer side sees it from now on and is told (§5)."""
    report = StatusReport.objects.select_for_update().select_related("project").get(pk=report.pk)
    project = report.project
    require_manager(project, actor)
    if not report.is_draft:
        raise ValidationError(_("This status report is already published."))
    _check_report(report, timezone.localdate())
    report.status = ReportStatus.PUBLISHED
    report.report_date = timezone.localdate()
    report.published_at = timezone.now()
    report.save(update_fields=["status", "report_date", "published_at"])
    notification_create(
        recipients=_customer_side(project),
        verb=STATUS_REPORT_ADDED,
        context={"project": str(project), "actor": display_name(actor), "date": f"{report.report_date:%Y-%m-%d}"},
        target=project,
        url=reverse("projects:reports", args=[project.code]),
    )
    return report


# --- Risk escalation (§3.1 monitoring, §5: known risks reported promptly) --------------------


@transaction.atomic
def risk_escalate_overdue(*, today: datetime.date | None = None) -> int:
    """Open risks whose response is overdue are escalated once: the vendor PM and the owner are told.

    Safe to run twice or concurrently: each risk is claimed by one conditional UPDATE.
    """
    today = today or timezone.localdate()
    due = Risk.objects.filter(status=RiskStatus.OPEN, response_due__lt=today, escalated_at__isnull=True).exclude(
        project__phase=Phase.CLOSED
    )
    escalated = 0
    for risk in due.select_related("project__vendor_pm", "owner"):
        if not Risk.objects.filter(pk=risk.pk, escalated_at__isnull=True).update(escalated_at=timezone.now()):
            continue
        escalated += 1
        project = risk.project
        notification_create(
            recipients=[u for u in (project.vendor_pm, risk.owner) if u is not None],
            verb=RISK_ESCALATED,
            context={
                "project": str(project),
                "risk": risk.description[:80],
                "due": f"{risk.response_due:%Y-%m-%d}",
                "score": risk.score,
            },
            target=risk,
            url=reverse("projects:risks", args=[project.code]),
        )
    return escalated
