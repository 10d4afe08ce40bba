"""How a deadline was computed, in the reader's language (or in every language, for a PDF).

Rendered from the facts stored with the deadline (Computation.basis()), not from today's
calendar, so a closed deadline keeps explaining the date it actually had, e.g.
"5 个工作日，自 2026-09-28 起算 → 2026-10-10（调休工作日）；跳过节假日：国庆节 10-01 至 10-07".

Every day between the start and the due day that was not counted is named: a holiday of a
published schedule (by name), a statutory holiday of a year not published yet (by name, marked
provisional) or a weekend day; so is every weekend day counted as a make-up working day (调休).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .enums import Clock, DayKind

# A holiday row in a stored basis: [date, kind, name_zh, name_en] plus "provisional" for a
# statutory day of an unpublished year (bases stored before that flag existed have four items).
PROVISIONAL_MARK = "provisional"


def _name(name_zh: str, name_en: str) -> str:
    if (get_language() or "zh-hans").startswith("zh"):
        return name_zh
    return name_en or name_zh


def _short(day: date, year: int) -> str:
    return day.strftime("%m-%d") if day.year == year else day.isoformat()


@dataclass(frozen=True)
class SkippedDay:
    day: date
    reason: str  # "holiday" | "provisional" | "weekend"
    name_zh: str = ""
    name_en: str = ""


@dataclass
class Explanation:
    """The facts of one computation, ready to be put into words in any language."""

    basis: dict
    due: date
    skipped: list[SkippedDay] = field(default_factory=list)
    makeups: list[date] = field(default_factory=list)
    provisional_years: list[int] = field(default_factory=list)

    def holidays(self, reason: str) -> list[SkippedDay]:
        return [day for day in self.skipped if day.reason == reason]


def explanation_facts(basis: dict) -> Explanation | None:
    """The days skipped and counted between the start and the due day, from a stored basis."""
    if not basis:
        return None
    due = date.fromisoformat(basis["due"])
    start = date.fromisoformat(basis["start"])
    rows = {}
    for row in basis.get("exceptions", []):
        day, kind, name_zh, name_en = row[:4]
        rows[date.fromisoformat(day)] = (kind, name_zh, name_en, PROVISIONAL_MARK in row[4:])
    explanation = Explanation(basis=basis, due=due, provisional_years=list(basis.get("provisional_years") or []))
    # The start day is never counted (a support request's day of receipt is explained in the main
    # clause); the due day is always a working day.
    day = start + timedelta(days=1)
    while day < due:
        row = rows.get(day)
        if row is not None and row[0] == DayKind.HOLIDAY:
            reason = "provisional" if row[3] else "holiday"
            explanation.skipped.append(SkippedDay(day=day, reason=reason, name_zh=row[1], name_en=row[2]))
        elif row is not None and row[0] == DayKind.MAKEUP_WORKDAY:
            explanation.makeups.append(day)
        elif day.weekday() >= 5:
            explanation.skipped.append(SkippedDay(day=day, reason="weekend"))
        day += timedelta(days=1)
    return explanation


def _runs(days: list[SkippedDay]) -> list[list[SkippedDay]]:
    """Consecutive days of the same name form one run."""
    runs: list[list[SkippedDay]] = []
    for day in days:
        last = runs[-1][-1] if runs else None
        same_name = last is not None and (day.name_zh, day.name_en) == (last.name_zh, last.name_en)
        if same_name and (day.day - last.day).days == 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return runs


def _ranges(days: list[SkippedDay], year: int, *, named: bool = True) -> list[str]:
    """Consecutive days become one range: "国庆节 10-01 至 10-07", or "12-05 至 12-06" for weekends."""
    ranges: list[str] = []
    for run in _runs(days):
        first, last = _short(run[0].day, year), _short(run[-1].day, year)
        span = first if first == last else _("%(first)s to %(last)s") % {"first": first, "last": last}
        if named:
            span = f"{_name(run[0].name_zh, run[0].name_en)} {span}"
        ranges.append(span)
    return ranges


def _main_clause(basis: dict) -> str:
    due = basis["due"]
    if basis.get("due_kind") == DayKind.MAKEUP_WORKDAY:
        due = _("%(date)s (make-up working day)") % {"date": due}
    if basis.get("clock") == Clock.SUPPORT_RESPONSE:
        received = datetime.fromisoformat(basis["received_at"]).strftime("%Y-%m-%d %H:%M")
        if basis.get("same_day"):
            return _("Received %(received)s, before 12:00 on a working day → end of the same day %(due)s") % {
                "received": received,
                "due": due,
            }
        return _("Received %(received)s, after 12:00 or on a non-working day → end of the next working day %(due)s") % {
            "received": received,
            "due": due,
        }
    if basis.get("clock") in (Clock.SUPPORT_CUTOFF, Clock.SUPPORT_FIXED):
        received = datetime.fromisoformat(basis["received_at"]).strftime("%Y-%m-%d %H:%M")
        values = {"received": received, "n": basis["n"], "due": due}
        if basis.get("clock") == Clock.SUPPORT_FIXED:
            return (
                _("Received %(received)s → the %(n)s-th working day counting the day of the request %(due)s") % values
            )
        if basis.get("same_day"):
            return (
                _(
                    "Received %(received)s, before 12:00 on a working day → the %(n)s-th working day counting that day "
                    "%(due)s"
                )
                % values
            )
        return (
            _(
                "Received %(received)s, after 12:00 or on a non-working day → one working day later than the "
                "%(n)s-th %(due)s"
            )
            % values
        )
    return _("%(n)s working day(s) after %(start)s → %(due)s") % {"n": basis["n"], "start": basis["start"], "due": due}


def explanation_parts(basis: dict) -> list[str]:
    """The explanation's clauses in the active language: the count, then what was skipped and counted."""
    facts = explanation_facts(basis)
    if facts is None:
        return []
    year = facts.due.year
    separator = _(", ")
    parts = [_main_clause(basis)]
    holidays = facts.holidays("holiday")
    if holidays:
        parts.append(_("holidays skipped: %(list)s") % {"list": separator.join(_ranges(holidays, year))})
    provisional = facts.holidays("provisional")
    if provisional:
        parts.append(
            _("statutory holidays skipped (provisional, schedule not published): %(list)s")
            % {"list": separator.join(_ranges(provisional, year))}
        )
    weekends = facts.holidays("weekend")
    if weekends:
        parts.append(_("weekends skipped: %(list)s") % {"list": separator.join(_ranges(weekends, year, named=False))})
    if facts.makeups:
        listed = separator.join(_short(day, year) for day in facts.makeups)
        parts.append(_("make-up working days counted: %(list)s") % {"list": listed})
    correction = basis.get("admin_correction")
    if correction:
        # An admin moved the date by hand (deadlines.corrections): it replaces the counted one.
        parts.append(
            _("extended or corrected by %(name)s to %(due)s: %(reason)s")
            % {"name": correction["by"], "due": correction["due"], "reason": correction["reason"]}
        )
    if facts.provisional_years:
        listed = separator.join(str(each) for each in facts.provisional_years)
        parts.append(
            _("calendar for %(years)s not published yet: statutory holidays only, no make-up days, provisional")
            % {"years": listed}
        )
    return parts


def explain_basis(basis: dict) -> str:
    """One line in the active language."""
    return _("; ").join(explanation_parts(basis))


def explain_basis_languages(basis: dict) -> dict[str, str]:
    """The explanation in every language of the site, e.g. for a PDF both sides read:
    ``{"zh-hans": "5 个工作日，…", "en": "5 working day(s) after …"}``."""
    explanations = {}
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            explanations[code] = explain_basis(basis)
    return explanations
