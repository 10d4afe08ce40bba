"""Go-live (SPEC §3.1.4, §5) and the continuous-support stage after it.

Go-live lifecycle:
  vendor PM issues a go-live notice (a golive_notice version, submitted to the customer lead)
    → two 15-working-day clocks start: (a) from receipt, (b) from the stated start date
  the customer lead files a written objection within (a)        → notice objected, clocks stop
  the go-live confirmation is signed (or recorded offline)       → notice confirmed, project live
  both clocks run out with neither                               → deemed accepted on the later end
  a new notice after an objection                                → fresh clocks; history kept
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_fsm import can_proceed

from deadlines.calendar import add_working_days
from deadlines.clocks import clock_length
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.selectors import deadline_statement
from deadlines.services import deadline_cancel, deadline_mark_met, deadline_open
from delivery.audit import RequestMeta
from delivery.people import display_name
from documents.enums import DeliverableCode, VersionState
from documents.models import DeliverableVersion
from documents.services import (
    deliverable_get_or_create,
    version_deem_accepted,
    version_recall,
    version_submit,
    version_write,
)
from notifications.services import notification_create
from projects.enums import Phase
from projects.lifecycle import GateItem
from projects.models import Project
from projects.permissions import project_leads, project_standing

from . import hooks
from .enums import NoticeStatus, ProblemStatus
from .models import AcceptanceMeeting, GoLiveNotice, Objection, OperationProblem, ProblemEvent, SupportVisit


def golive_url(project: Project) -> str:
    return reverse("golive:overview", args=[project.code])


# --- Notices and objections -----------------------------------------------------------------


@transaction.atomic
def golive_notice_issue(
    *, project: Project, user: AbstractUser, meta: RequestMeta, planned_start: dt.date, note: str = ""
) -> GoLiveNotice:
    """Issue a go-live notice: it reaches the customer lead now, and both clocks start."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if not project_standing(project, user).is_manager:
        raise PermissionDenied
    if not project.golive_applies:
        raise ValidationError(_("This project has no go-live (§1): there is no go-live notice to issue."))
    if project.golive_on is not None:
        raise ValidationError(_("The project is already live since %(date)s.") % {"date": project.golive_on})
    if project.phase != Phase.CLOSING:
        # §2: the go-live notice is a closing deliverable, after the delivery report is issued.
        raise ValidationError(
            _("The go-live notice is issued in the closing phase, after the implementation delivery report.")
        )
    if project.customer_lead is None:
        raise ValidationError(_("Name the customer project lead first: the notice is addressed to them."))
    if planned_start < timezone.localdate():
        raise ValidationError({"planned_start": _("The planned go-live start date cannot be before today.")})
    previous = list(project.golive_notices.filter(status__in=[NoticeStatus.RUNNING, NoticeStatus.OBJECTED]))
    if any(n.status == NoticeStatus.RUNNING for n in previous):
        raise ValidationError(_("A go-live notice is already running; a new one can follow a written objection."))
    deliverable = deliverable_get_or_create(project=project, code=DeliverableCode.GOLIVE_NOTICE)
    for waiting in deliverable.versions.filter(state=VersionState.SUBMITTED):
        version_recall(version=waiting, user=user, meta=meta, reason=_("Replaced by a new go-live notice."))
    content = {"planned_start": planned_start.isoformat(), "note": note}
    version = version_write(deliverable=deliverable, user=user, meta=meta, content=content)
    version = version_submit(version=version, user=user, meta=meta, notify=False)
    for notice in previous:
        notice.replace()
        notice.save()
    notice = GoLiveNotice.objects.create(
        project=project, version=version, planned_start=planned_start, received_at=version.submitted_at, issued_by=user
    )
    start_of_planned_day = timezone.make_aware(
        dt.datetime.combine(planned_start, dt.time()), timezone.get_default_timezone()
    )
    recipients = project_leads(project)
    notice.objection_deadline = deadline_open(
        target=notice,
        rule=RuleCode.GOLIVE_OBJECTION,
        started_at=notice.received_at,
        recipients=recipients,
    )
    notice.arrangement_deadline = deadline_open(
        target=notice,
        rule=RuleCode.GOLIVE_ARRANGEMENT,
        started_at=start_of_planned_day,
        recipients=recipients,
    )
    notice.save(update_fields=["objection_deadline", "arrangement_deadline"])
    notification_create(
        recipients=[project.customer_lead],
        verb="golive.notice_delivered",
        context={"actor": display_name(user), "project": project.code, "date": planned_start.isoformat()},
        target=notice,
        url=golive_url(project),
    )
    return notice


def golive_notice_mark_opened(*, notice: GoLiveNotice, user: AbstractUser) -> bool:
    """Record the customer lead's first opening of the notice, once (evidence of receipt)."""
    if not project_standing(notice.project, user).is_customer_lead or notice.first_opened_at is not None:
        return False
    now = timezone.now()
    # One conditional UPDATE: two tabs opening at once record the first time only.
    updated = GoLiveNotice.objects.filter(pk=notice.pk, first_opened_at__isnull=True).update(first_opened_at=now)
    if updated:
        notice.first_opened_at = now
    return bool(updated)


@transaction.atomic
def golive_objection_file(*, notice: GoLiveNotice, user: AbstractUser, meta: RequestMeta, reason: str) -> Objection:
    """A written objection by the customer lead, allowed only while clock (a) runs."""
    notice_clocks_lock(GoLiveNotice.objects.filter(pk=notice.pk))
    notice = (
        GoLiveNotice.objects.select_for_update(of=("self",))
        .select_related("project", "objection_deadline", "arrangement_deadline")
        .get(pk=notice.pk)
    )
    project = notice.project
    if not project_standing(project, user).is_customer_lead:
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("State the reason for the objection.")})
    deadline = notice.objection_deadline
    if notice.status != NoticeStatus.RUNNING:
        raise ValidationError(_("This go-live notice is no longer running."))
    if timezone.now() >= deadline.due_at:
        closed = date_format(timezone.localtime(deadline.due_at) - dt.timedelta(seconds=1), "Y-m-d")
        raise ValidationError(
            _("The objection period ended on %(date)s (§3.1.4); an objection can no longer be filed.")
            % {"date": closed}
        )
    objection = Objection.objects.create(
        notice=notice,
        filed_by=user,
        filed_at=timezone.now(),
        reason=reason,
        ip_address=meta.ip_address,
        user_agent=meta.user_agent,
    )
    notice.object()
    notice.save()
    for clock in (notice.objection_deadline, notice.arrangement_deadline):
        if clock.status == DeadlineStatus.OPEN:
            deadline_cancel(deadline=clock, reason=_("Written objection filed"), by=user)
    notification_create(
        recipients=[project.vendor_pm] if project.vendor_pm else [],
        verb="golive.objected",
        context={"actor": display_name(user), "project": project.code},
        target=notice,
        url=golive_url(project),
    )
    return objection


@transaction.atomic
def golive_actual_record(
    *, project: Project, user: AbstractUser, meta: RequestMeta, went_live_on: dt.date, statement: str
) -> DeliverableVersion:
    """The vendor PM records the actual go-live; the confirmation goes to the lead for signature."""
    if not project_standing(project, user).is_manager:
        raise PermissionDenied
    if went_live_on > timezone.localdate():
        raise ValidationError({"went_live_on": _("The go-live date cannot be in the future.")})
    deliverable = deliverable_get_or_create(project=project, code=DeliverableCode.GOLIVE_CONFIRMATION)
    if deliverable.versions.filter(state=VersionState.SUBMITTED).exists():
        raise ValidationError(_("A go-live confirmation is already waiting for the customer lead's signature."))
    content = {"in_production_since": went_live_on.isoformat(), "statement": statement}
    version = version_write(deliverable=deliverable, user=user, meta=meta, content=content)
    return version_submit(version=version, user=user, meta=meta)


def _project_goes_live(project: Project, *, on: dt.date) -> None:
    from .rules import final_acceptance_reminder_open  # noqa: PLC0415 (a cycle: golive.rules imports services)

    Project.objects.filter(pk=project.pk).update(golive_on=on)
    project.golive_on = on
    hooks.went_live(project=project, golive_on=on)
    final_acceptance_reminder_open(project=project, golive_on=on)


def notice_clocks_lock(notices) -> None:
    """Lock the notices' clocks before the notices: the sweep holds a clock while its effect
    locks the notice and then the project (see deadlines.services.deadline_lock)."""
    ids = [i for pair in notices.values_list("objection_deadline_id", "arrangement_deadline_id") for i in pair if i]
    list(Deadline.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))


def golive_confirmation_accepted(version: DeliverableVersion) -> None:
    """documents' on_version_accepted listener: a signed go-live confirmation puts the project live."""
    if version.deliverable.type.code != DeliverableCode.GOLIVE_CONFIRMATION or version.state != VersionState.CONFIRMED:
        return
    running = GoLiveNotice.objects.filter(project_id=version.deliverable.project_id, status=NoticeStatus.RUNNING)
    notice_clocks_lock(running)
    notices = list(running.select_for_update(of=("self",)).select_related("objection_deadline", "arrangement_deadline"))
    project = Project.objects.select_for_update().get(pk=version.deliverable.project_id)
    went_live = dt.date.fromisoformat(version.content.get("in_production_since") or timezone.localdate().isoformat())
    for notice in notices:
        notice.confirm()
        notice.save()
        for clock in (notice.objection_deadline, notice.arrangement_deadline):
            if clock is not None and clock.status == DeadlineStatus.OPEN:
                deadline_mark_met(deadline=clock)
    if project.golive_on is None:
        _project_goes_live(project, on=went_live)


def _both_languages(deadline: Deadline) -> str:
    """How a clock was counted, in every language of the site: the statement is the deemed
    confirmation's content, printed on its PDF for both sides."""
    statement = deadline_statement(deadline=deadline)
    return " / ".join(text for _code, text, _note in statement.lines)


def golive_deem_if_due(*, notice_id: int) -> bool:
    """Deemed acceptance (§3.1.4): both clocks ran out with no objection and no go-live.

    Called by each clock's sweep effect inside the sweep's transaction; the notice row lock and
    its state make it happen exactly once, whichever clock ends last and however often it runs.
    """
    notice = (
        GoLiveNotice.objects.select_for_update(of=("self",))
        .select_related("project", "objection_deadline", "arrangement_deadline")
        .get(pk=notice_id)
    )
    clocks = [notice.objection_deadline, notice.arrangement_deadline]
    if notice.status != NoticeStatus.RUNNING or any(c is None or c.status != DeadlineStatus.EXPIRED for c in clocks):
        return False
    project = Project.objects.select_for_update().get(pk=notice.project_id)
    if project.golive_on is not None:
        return False
    later = max(clocks, key=lambda c: c.due_at)
    deemed_on = later.due_date
    with override(settings.LANGUAGE_CODE):
        statement = _(
            "Deemed accepted under §3.1.4 of the delivery manual: the customer filed no written objection "
            "within (a) and arranged no go-live within (b).\n(a) %(a)s\n(b) %(b)s\n"
            "The project is deemed live on %(date)s, the later of the two ends."
        ) % {
            "a": _both_languages(notice.objection_deadline),
            "b": _both_languages(notice.arrangement_deadline),
            "date": deemed_on.isoformat(),
        }
    content = {"in_production_since": deemed_on.isoformat(), "statement": statement}
    version_deem_accepted(
        deliverable=deliverable_get_or_create(project=project, code=DeliverableCode.GOLIVE_CONFIRMATION),
        author=notice.issued_by,
        content=content,
    )
    notice.deem(on=deemed_on)
    notice.save()
    _project_goes_live(project, on=deemed_on)
    notification_create(
        recipients=project_leads(project),
        verb="golive.deemed",
        context={"project": project.code, "date": deemed_on.isoformat()},
        target=notice,
        url=golive_url(project),
    )
    return True


# --- After go-live --------------------------------------------------------------------------


@transaction.atomic
def support_visit_create(
    *, project: Project, user: AbstractUser, starts_on: dt.date, ends_on: dt.date, consultant, notes: str = ""
) -> SupportVisit:
    """On-site support of the continuous-support stage: after go-live only."""
    if not project_standing(project, user).is_manager:
        raise PermissionDenied
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The visit ends before it starts.")})
    if project.golive_on is None or starts_on < project.golive_on:
        raise ValidationError(
            {"starts_on": _("On-site support follows go-live: a visit cannot start before the system went live.")}
        )
    return SupportVisit.objects.create(
        project=project, starts_on=starts_on, ends_on=ends_on, consultant=consultant, notes=notes
    )


@transaction.atomic
def problem_report(
    *, project: Project, user: AbstractUser, description: str, severity: str, support_mode: str
) -> OperationProblem:
    """Either side reports a problem; the other side is told."""
    Project.objects.select_for_update().get(pk=project.pk)
    number = (project.operation_problems.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    problem = OperationProblem.objects.create(
        project=project,
        number=number,
        description=description,
        severity=severity,
        support_mode=support_mode,
        reported_by=user,
    )
    ProblemEvent.objects.create(problem=problem, action="reported", actor=user, at=timezone.now())
    recipients = [project.customer_lead] if project_standing(project, user).is_vendor_lead else [project.vendor_pm]
    notification_create(
        recipients=[r for r in recipients if r is not None],
        verb="golive.problem_reported",
        context={"actor": display_name(user), "project": project.code, "number": number},
        target=problem,
        url=reverse("golive:problems", args=[project.code]),
    )
    return problem


# The actions a problem page may ask for; each is the transition of the same name.
PROBLEM_ACTIONS = {"start", "resolve", "close", "reopen"}
PROBLEM_FIELDS = ("cause", "tracking", "resolution", "result", "severity", "support_mode")
# Both sides are told when a problem is resolved, closed or reopened.
ANNOUNCED_ACTIONS = {"resolve", "close", "reopen"}


def _problem_check(problem: OperationProblem, action: str, reason: str) -> None:
    """ERP method: a resolved problem states its resolution and result; reopening says why."""
    if action == "resolve" and not (problem.resolution.strip() and problem.result.strip()):
        raise ValidationError(_("Resolving needs the resolution and the result."))
    if action == "reopen" and not reason:
        raise ValidationError({"reason": _("Give the reason for reopening.")})


def _problem_announce(problem: OperationProblem, *, user: AbstractUser, reason: str) -> None:
    project = problem.project
    people = {p.pk: p for p in (project.vendor_pm, project.customer_lead) if p is not None and p.pk != user.pk}
    if problem.reported_by_id != user.pk:
        people.setdefault(problem.reported_by_id, problem.reported_by)
    with override(settings.LANGUAGE_CODE):
        status = str(problem.get_status_display())
        because = _(" (reason: %(reason)s)") % {"reason": reason} if reason else ""
    notification_create(
        recipients=list(people.values()),
        verb="golive.problem_moved",
        context={
            "actor": display_name(user),
            "project": project.code,
            "number": problem.number,
            "status": status,
            "reason": because,
        },
        target=problem,
        url=reverse("golive:problem", args=[project.code, problem.number]),
    )


@transaction.atomic
def problem_update(
    *, problem: OperationProblem, user: AbstractUser, action: str = "", reason: str = "", **fields: str
) -> OperationProblem:
    """The vendor records cause, tracking, resolution and result and moves the status; the customer
    lead may close a resolved problem or reopen it. Each step is written to the problem's history."""
    problem = (
        OperationProblem.objects.select_for_update(of=("self",))
        .select_related("project__vendor_pm", "project__customer_lead", "reported_by")
        .get(pk=problem.pk)
    )
    project = problem.project
    standing = project_standing(project, user)
    is_vendor = standing.is_vendor_member
    is_lead = standing.is_customer_lead
    if not (is_vendor or (is_lead and action in ("close", "reopen") and not fields)):
        raise PermissionDenied
    reason = (reason or "").strip()
    changes = []
    for name in PROBLEM_FIELDS:
        if name in fields and fields[name] != getattr(problem, name):
            changes.append([name, getattr(problem, name), fields[name]])
            setattr(problem, name, fields[name])
    if action:
        if action not in PROBLEM_ACTIONS:
            raise ValidationError(_("Unknown action."))
        transition = getattr(problem, action)
        if not can_proceed(transition):
            raise ValidationError(
                _("A problem that is “%(status)s” cannot be moved that way.") % {"status": problem.get_status_display()}
            )
        _problem_check(problem, action, reason)
        transition()
    problem.save()
    if action or changes:
        ProblemEvent.objects.create(
            problem=problem, action=action or "edited", actor=user, at=timezone.now(), changes=changes, reason=reason
        )
    if action in ANNOUNCED_ACTIONS:
        _problem_announce(problem, user=user, reason=reason)
    return problem


def problem_log_content(project: Project) -> dict:
    """The operation problem log deliverable, drafted from the live log: every problem, oldest first."""
    rows = project.operation_problems.order_by("number")
    return {
        "problems": [
            {
                "description": f"#{p.number} [{p.get_status_display()}] {p.description}",
                "support_mode": p.support_mode,
                "cause": p.cause,
                "tracking": p.tracking,
                "resolution": p.resolution,
                "result": p.result,
            }
            for p in rows
        ]
    }


# --- Final acceptance (ERP method) ----------------------------------------------------------------
def stable_operation_end(project: Project) -> dt.date | None:
    """The last day of the stable-operation period after go-live (FINAL_ACCEPTANCE_STABLE_WORKING_DAYS,
    22 working days ≈ one month by default); final acceptance is signed after it."""
    if project.golive_on is None:
        return None
    return add_working_days(project.golive_on, clock_length(RuleCode.FINAL_ACCEPTANCE_REMINDER))


def final_acceptance_refusals(version: DeliverableVersion) -> list[str]:
    """Why the final acceptance report cannot be signed yet: stable operation since go-live not
    long enough, or the acceptance meeting not held."""
    project = version.deliverable.project
    reasons = []
    if project.golive_applies:
        end = stable_operation_end(project)
        if end is None:
            reasons.append(_("Final acceptance follows go-live: the system has not gone live yet."))
        elif timezone.localdate() <= end:
            reasons.append(
                _(
                    "Final acceptance needs %(n)s working days of stable operation after go-live on %(golive)s: "
                    "it can be signed from %(date)s."
                )
                % {
                    "n": clock_length(RuleCode.FINAL_ACCEPTANCE_REMINDER),
                    "golive": project.golive_on.isoformat(),
                    "date": (end + dt.timedelta(days=1)).isoformat(),
                }
            )
    if not AcceptanceMeeting.objects.filter(project=project).exists():
        reasons.append(_("The acceptance meeting has not been recorded as held yet."))
    return reasons


@transaction.atomic
def acceptance_meeting_record(
    *, project: Project, user: AbstractUser, held_on: dt.date, place: str, attendees: str, minutes: str = ""
) -> AcceptanceMeeting:
    """The vendor PM records the acceptance meeting held (time, place, attendees of both sides)."""
    if not project_standing(project, user).is_manager:
        raise PermissionDenied
    errors = {}
    if held_on > timezone.localdate():
        errors["held_on"] = _("Record the meeting once it has been held.")
    elif project.golive_applies and (project.golive_on is None or held_on < project.golive_on):
        errors["held_on"] = _("The acceptance meeting is held after go-live.")
    if not (place or "").strip():
        errors["place"] = _("Say where the meeting was held.")
    if not (attendees or "").strip():
        errors["attendees"] = _("List the attendees of both sides.")
    if errors:
        raise ValidationError(errors)
    meeting, _created = AcceptanceMeeting.objects.update_or_create(
        project=project,
        defaults={
            "held_on": held_on,
            "place": place.strip(),
            "attendees": attendees.strip(),
            "minutes": (minutes or "").strip(),
            "recorded_by": user,
            "recorded_at": timezone.now(),
        },
    )
    return meeting


def _numbers_in(text: str) -> set[int]:
    return {int(number) for number in re.findall(r"#(\d+)", text or "")}


def closing_gate_items(project: Project) -> list[GateItem]:
    """Two queries: the open problems against the latest handover record, and the versions
    still waiting for a signature."""
    open_numbers = sorted(
        project.operation_problems.exclude(status=ProblemStatus.CLOSED).values_list("number", flat=True)
    )
    versions = list(
        DeliverableVersion.objects.filter(deliverable__project=project)
        .filter(
            Q(state=VersionState.SUBMITTED)
            | Q(deliverable__type__code=DeliverableCode.HANDOVER_RECORD, state__in=[VersionState.CONFIRMED])
        )
        .select_related("deliverable__type")
        .order_by("-number")
    )
    handover = next(
        (v for v in versions if v.deliverable.type.code == DeliverableCode.HANDOVER_RECORD and v.state != "submitted"),
        None,
    )
    carried = _numbers_in(str((handover.content or {}).get("open_problems", ""))) if handover else set()
    uncarried = [number for number in open_numbers if number not in carried]
    if not open_numbers:
        problems = GateItem(_("No operation problem is open"), True)
    else:
        listed = ", ".join(f"#{number}" for number in (uncarried or open_numbers))
        problems = GateItem(
            _("Open operation problems carried into the confirmed handover record (not carried: %(list)s)")
            % {"list": listed}
            if uncarried
            else _("Open operation problems %(list)s carried into the handover record") % {"list": listed},
            not uncarried,
        )
    # The go-live notice is received, not signed (§3.1.4): its clocks, not a signature, settle it.
    waiting = [
        v
        for v in versions
        if v.state == VersionState.SUBMITTED and v.deliverable.type.code != DeliverableCode.GOLIVE_NOTICE
    ]
    if waiting:
        names = ", ".join(f"{v.deliverable.type.name} v{v.number}" for v in waiting)
        signatures = GateItem(_("No deliverable waits for a signature (waiting: %(list)s)") % {"list": names}, False)
    else:
        signatures = GateItem(_("No deliverable waits for a signature"), True)
    return [problems, signatures]


def problem_list_open_text(project: Project) -> str:
    """Open problems, one per line, for the handover record's starting content."""
    rows = project.operation_problems.exclude(status=ProblemStatus.CLOSED).order_by("number")
    return "\n".join(f"#{p.number} [{p.get_status_display()}] {p.description}" for p in rows)
