"""Printing what a calendar load changed, shared by the calendar commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from deadlines.calendar import local_date
from deadlines.services import CalendarChangeResult


def _day(moment: datetime) -> str:
    """The last day of a period ending at ``moment`` (24:00 of that day)."""
    return local_date(moment - timedelta(microseconds=1)).isoformat()


def report_change(result: CalendarChangeResult, write: Callable[[str], None]) -> None:
    summary = f"{result.year}: {len(result.added)} added, {len(result.removed)} removed, {len(result.changed)} changed"
    if result.published_changed:
        summary += "; the year becomes published"
    write(summary)
    for spec in result.added:
        write(f"  + {spec.date} {spec.kind} {spec.name_zh} {spec.name_en}".rstrip())
    for spec in result.removed:
        write(f"  - {spec.date} {spec.kind} {spec.name_zh} {spec.name_en}".rstrip())
    for old, new in result.changed:
        write(f"  ~ {new.date} {old.kind} {old.name_zh} → {new.kind} {new.name_zh}")
    for change in result.moved:
        deadline = change.deadline
        provisional = " (provisional → final)" if change.old_provisional and not change.new_provisional else ""
        write(
            f"  deadline #{deadline.pk} {deadline.rule}: due {_day(change.old_due_at)} → {_day(change.new_due_at)}"
            f"{provisional}"
        )
    write(f"  {len(result.moved)} open deadline(s) move")
