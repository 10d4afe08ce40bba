"""The .ics documents (RFC 5545, built with icalendar): deadlines as the last hour of their final
day in Asia/Shanghai (a deadline ends at 24:00, SPEC §5), plan milestones and on-site visits as
all-day events. Each event names the project, what happens when it ends, and links to the page."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from deadlines.calendar import TZ
from deadlines.enums import RuleCode
from deadlines.models import Deadline
from delivery.people import display_name
from golive.models import SupportVisit
from projects.models import Project

from .selectors import Milestone

PRODID = "-//Delivery projects//Calendar feed//ZH"


def _effects() -> dict[str, str]:
    """What happens when each clock runs out (SPEC §5), in the reader's language."""
    return {
        RuleCode.CHANGE_REPLY: _(
            "If no reply is given, the change letter becomes overdue and is escalated to the vendor PM "
            "and their manager (§4.2, §4.3)."
        ),
        RuleCode.GOLIVE_OBJECTION: _(
            "Without a written objection by then, the customer can no longer object to the go-live notice (§3.1.4)."
        ),
        RuleCode.GOLIVE_ARRANGEMENT: _(
            "Without go-live arranged by then, the project is deemed live on the later of the two ends (§3.1.4)."
        ),
        RuleCode.COMPENSATION_CLAIM: _("The compensation claim window closes; later claims are refused (§4.1, §4.2)."),
        RuleCode.SUPPORT_RESPONSE: _("The support request's first response becomes overdue and is escalated."),
        RuleCode.SALES_CONFIRMATION: _("Without a reply from sales, the support work counts as complete."),
        RuleCode.FINAL_ACCEPTANCE_REMINDER: _("Time to prepare the final acceptance notice."),
    }


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _project_of(target: Model | None) -> Project | None:
    if isinstance(target, Project):
        return target
    return getattr(target, "project", None)


def _link(target: Model | None, project: Project | None) -> str:
    if target is not None and hasattr(target, "get_absolute_url"):
        return _absolute(target.get_absolute_url())
    if project is not None:
        return _absolute(reverse("golive:overview", args=[project.code]))
    return _absolute(reverse("dashboard"))


def deadline_event(deadline: Deadline, *, stamp: datetime.datetime) -> Event:
    target = deadline.target
    project = _project_of(target)
    summary = _("Deadline: %(rule)s · %(about)s") % {"rule": deadline.get_rule_display(), "about": target or ""}
    if deadline.provisional:
        summary = _("%(summary)s (provisional)") % {"summary": summary}
    due = deadline.due_at.astimezone(TZ)
    lines = [
        _("Project: %(project)s") % {"project": project} if project else "",
        _("When it ends: %(effect)s") % {"effect": _effects().get(deadline.rule, "")},
        _("How it was counted: %(explanation)s") % {"explanation": deadline.explanation},
        _("Provisional: computed across a year whose official calendar is not published yet.")
        if deadline.provisional
        else "",
        _link(target, project),
    ]
    event = Event()
    event.add("uid", f"deadline-{deadline.pk}@delivery")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    event.add("dtstart", due - datetime.timedelta(hours=1))
    event.add("dtend", due)
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", _link(target, project))
    event.add("categories", [deadline.get_rule_display()])
    if deadline.status != "open":
        event.add("status", "CANCELLED" if deadline.status == "cancelled" else "CONFIRMED")
    return event


def milestone_event(milestone: Milestone, *, stamp: datetime.datetime) -> Event:
    project = milestone.project
    link = _absolute(reverse("documents:deliverable", args=[project.code, "project_plan"]))
    event = Event()
    event.add("uid", f"milestone-{project.pk}-{milestone.uid}@delivery")
    event.add("dtstamp", stamp)
    event.add("summary", _("Milestone: %(name)s · %(project)s") % {"name": milestone.name, "project": project.code})
    event.add("dtstart", milestone.start)
    event.add("dtend", milestone.end + datetime.timedelta(days=1))
    lines = [
        _("Project: %(project)s") % {"project": project},
        _("When it ends: the milestone's outputs are due: %(outputs)s") % {"outputs": milestone.outputs or "—"},
        _("From project plan version %(number)s.") % {"number": milestone.version},
        link,
    ]
    event.add("description", "\n".join(lines))
    event.add("url", link)
    return event


def visit_event(visit: SupportVisit, *, stamp: datetime.datetime) -> Event:
    project = visit.project
    link = _absolute(reverse("golive:overview", args=[project.code]))
    consultant = display_name(visit.consultant)
    event = Event()
    event.add("uid", f"visit-{visit.pk}@delivery")
    event.add("dtstamp", stamp)
    event.add(
        "summary",
        _("On-site support: %(consultant)s · %(project)s") % {"consultant": consultant, "project": project.code},
    )
    event.add("dtstart", visit.starts_on)
    event.add("dtend", visit.ends_on + datetime.timedelta(days=1))
    lines = [
        _("Project: %(project)s") % {"project": project},
        _("When it ends: the on-site support visit is over; open problems stay in the problem log."),
        visit.notes,
        link,
    ]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("url", link)
    return event


def calendar_build(
    *, name: str, deadlines: Iterable[Deadline], milestones: Iterable[Milestone], visits: Iterable[SupportVisit]
) -> bytes:
    stamp = timezone.now()
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Shanghai")
    calendar.add_component(Timezone.from_tzid("Asia/Shanghai"))
    for deadline in deadlines:
        calendar.add_component(deadline_event(deadline, stamp=stamp))
    for milestone in milestones:
        calendar.add_component(milestone_event(milestone, stamp=stamp))
    for visit in visits:
        calendar.add_component(visit_event(visit, stamp=stamp))
    return calendar.to_ical()
