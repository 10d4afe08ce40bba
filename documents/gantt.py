"""A Gantt-style chart of a project plan, drawn with CSS widths (no script, CSP-safe)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    name: str
    kind: str
    start: dt.date
    end: dt.date
    offset_pct: int  # left edge, in whole percent of the chart width
    width_pct: int
    status: str
    actual_offset_pct: int | None = None
    actual_width_pct: int | None = None


@dataclass(frozen=True)
class Gantt:
    start: dt.date
    end: dt.date
    bars: list[Bar]
    months: list[tuple[str, int, int]]  # label, offset %, width %
    today_pct: int | None = None  # where today falls, when inside the chart


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def gantt_for_plan(content: dict, *, today: dt.date | None = None) -> Gantt | None:
    rows = [(r, _date(r.get("planned_start")), _date(r.get("planned_end"))) for r in content.get("milestones", [])] + [
        (r, _date(r.get("start")), _date(r.get("end"))) for r in content.get("activities", [])
    ]
    rows = [(r, s, e) for r, s, e in rows if s and e and e >= s]
    if not rows:
        return None
    today = today or dt.date.today()
    start = min(s for _, s, _ in rows)
    end = max(e for _, _, e in rows)
    span = (end - start).days + 1

    def pct(day: dt.date) -> int:
        return round((day - start).days * 100 / span)

    def width(a: dt.date, b: dt.date) -> int:
        return max(1, round(((b - a).days + 1) * 100 / span))

    bars = []
    for row, s, e in rows:
        actual_s, actual_e = _date(row.get("actual_start")), _date(row.get("actual_end"))
        if actual_s and not actual_e:  # under way: draw the actual bar up to today
            actual_e = min(max(today, actual_s), end)
        has_actual = actual_s and actual_e and actual_e >= actual_s and actual_s >= start
        bars.append(
            Bar(
                name=row.get("name", ""),
                kind=row.get("kind", "activity"),
                start=s,
                end=e,
                offset_pct=pct(s),
                width_pct=min(width(s, e), 100 - pct(s)),
                status=row.get("status", ""),
                actual_offset_pct=pct(actual_s) if has_actual else None,
                actual_width_pct=min(width(actual_s, min(actual_e, end)), 100 - pct(actual_s)) if has_actual else None,
            )
        )
    months = []
    cursor = start.replace(day=1)
    while cursor <= end:
        following = (cursor + dt.timedelta(days=32)).replace(day=1)
        first, last = max(cursor, start), min(following - dt.timedelta(days=1), end)
        months.append((cursor.strftime("%Y-%m"), pct(first), width(first, last)))
        cursor = following
    today_pct = pct(today) if start <= today <= end else None
    return Gantt(start=start, end=end, bars=bars, months=months, today_pct=today_pct)
