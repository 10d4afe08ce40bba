"""Printing what a calendar load changed, shared by the calendar commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from deadlines.calendar import TZ, local_date
from deadlines.enums import CorrectionOutcome
from deadlines.services import CalendarChangeResult


def _day(moment: datetime) -> str:
    """The last day of a period ending at ``moment`` (24:00 of that day)."""
    return local_date(moment - timedelta(microseconds=1)).isoformat()


# The command's output is for the operator running it, in English like the rest of its output.
OUTCOME_WORDS = {
    CorrectionOutcome.STANDS: "effect stands",
    CorrectionOutcome.WITHDRAWN: "effect withdrawn, runs to the correct end",
    CorrectionOutcome.WITHDRAWN_MET: "effect withdrawn, the act was in time (met)",
    CorrectionOutcome.ADMIN_REVIEW: "FLAGGED for the administrator (not reversed)",
}


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
    moved = [change for change in result.moved if not change.is_correction]
    corrected = [change for change in result.moved if change.is_correction]
    for change in moved:
        deadline = change.deadline
        provisional = " (provisional → final)" if change.old_provisional and not change.new_provisional else ""
        write(
            f"  deadline #{deadline.pk} {deadline.rule}: due {_day(change.old_due_at)} → {_day(change.new_due_at)}"
            f"{provisional}"
        )
    for change in corrected:
        deadline = change.deadline
        fired = change.fired_at.astimezone(TZ).strftime("%Y-%m-%d %H:%M")
        clause = f" {change.clause}" if change.clause else ""
        write(
            f"  deadline #{deadline.pk} {deadline.rule}: fired {fired} under due {_day(change.old_due_at)}; "
            f"correct end {_day(change.new_due_at)}: {OUTCOME_WORDS[change.outcome]}{clause}"
        )
    write(f"  {len(moved)} open deadline(s) move")
    if corrected:
        flagged = sum(change.outcome == CorrectionOutcome.ADMIN_REVIEW for change in corrected)
        write(f"  {len(corrected)} fired deadline(s) corrected, {flagged} flagged for the administrator")
