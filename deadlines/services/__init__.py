"""Writes of the deadlines app: opening, closing and sweeping deadlines in .deadlines, calendar
edits and the corrections they cause in .calendar_edits. Import from here."""

from .calendar_edits import (
    CalendarChangeResult,
    calendar_correction_review,
    calendar_day_delete,
    calendar_day_save,
    calendar_year_load,
    calendar_year_save,
)
from .deadlines import (
    SweepResult,
    deadline_cancel,
    deadline_lock,
    deadline_mark_met,
    deadline_open,
    deadline_sweep,
)

__all__ = [
    "CalendarChangeResult",
    "SweepResult",
    "calendar_correction_review",
    "calendar_day_delete",
    "calendar_day_save",
    "calendar_year_load",
    "calendar_year_save",
    "deadline_cancel",
    "deadline_lock",
    "deadline_mark_met",
    "deadline_open",
    "deadline_sweep",
]
