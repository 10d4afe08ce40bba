"""How a deadline was computed, in the reader's language.

Rendered from the facts stored with the deadline (Computation.basis()), not from today's
calendar, so a closed deadline keeps explaining the date it actually had, e.g.
"5 个工作日，自 2026-09-28 起算 → 2026-10-10（调休工作日）；跳过节假日：国庆节 10-01 至 10-07".
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .enums import Clock, DayKind


def _name(name_zh: str, name_en: str) -> str:
    if (get_language() or "zh-hans").startswith("zh"):
        return name_zh
    return name_en or name_zh


def _short(day: date, year: int) -> str:
    return day.strftime("%m-%d") if day.year == year else day.isoformat()


def _holiday_ranges(rows: list[tuple[date, str, str]], year: int) -> list[str]:
    """Consecutive holiday days of the same name become one range: "国庆节 10-01 至 10-07"."""
    ranges: list[str] = []
    runs: list[list[tuple[date, str, str]]] = []
    for row in rows:
        if runs and (row[0] - runs[-1][-1][0]).days == 1 and row[1:] == runs[-1][-1][1:]:
            runs[-1].append(row)
        else:
            runs.append([row])
    for run in runs:
        name = _name(run[0][1], run[0][2])
        first, last = run[0][0], run[-1][0]
        if first == last:
            ranges.append(f"{name} {_short(first, year)}")
        else:
            ranges.append(
                _("%(name)s %(first)s to %(last)s")
                % {"name": name, "first": _short(first, year), "last": _short(last, year)}
            )
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
    return _("%(n)s working day(s) after %(start)s → %(due)s") % {"n": basis["n"], "start": basis["start"], "due": due}


def explain_basis(basis: dict) -> str:
    if not basis:
        return ""
    due_day = date.fromisoformat(basis["due"])
    rows = [(date.fromisoformat(day), kind, zh, en) for day, kind, zh, en in basis.get("exceptions", [])]
    holidays = [(day, zh, en) for day, kind, zh, en in rows if kind == DayKind.HOLIDAY]
    start = date.fromisoformat(basis["start"])
    # The start day is never counted (a support request's day of receipt is explained above).
    makeups = [day for day, kind, _zh, _en in rows if kind == DayKind.MAKEUP_WORKDAY and start < day < due_day]
    separator = _(", ")
    parts = [_main_clause(basis)]
    if holidays:
        parts.append(
            _("holidays skipped: %(list)s") % {"list": separator.join(_holiday_ranges(holidays, due_day.year))}
        )
    if makeups:
        listed = separator.join(_short(day, due_day.year) for day in makeups)
        parts.append(_("make-up working days counted: %(list)s") % {"list": listed})
    years = basis.get("provisional_years") or []
    if years:
        listed = separator.join(str(year) for year in years)
        parts.append(_("calendar for %(years)s not published yet: weekends only, provisional") % {"years": listed})
    return _("; ").join(parts)
