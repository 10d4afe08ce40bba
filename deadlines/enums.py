from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DayKind(models.TextChoices):
    """An exception to the Monday–Friday week in the PRC official calendar."""

    HOLIDAY = "holiday", _("Holiday")
    # 调休: a Saturday or Sunday officially designated as a working day.
    MAKEUP_WORKDAY = "makeup", _("Make-up working day")


class Clock(models.TextChoices):
    """How a deadline's due time is computed from its start."""

    # PRC Civil Code arts. 201–203: n working days from the day after the start, ending at 24:00.
    WORKING_DAYS = "working_days", _("Working days")
    # Support procedure: before 12:00 on a working day → that day, otherwise the next working day.
    SUPPORT_RESPONSE = "support_response", _("Support response (12:00 cut-off)")
    # Support procedure's tables: the n-th working day, the day of the request counted as the 1st
    # when it is a working day; received at or after 12:00 (or on a rest day) → one working day later.
    SUPPORT_CUTOFF = "support_cutoff", _("Support table (n-th working day, 12:00 cut-off)")
    # The same count without the cut-off (the proposal's last tier is the 9th day either way).
    SUPPORT_FIXED = "support_fixed", _("Support table (n-th working day, any hour)")


class DeadlineStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("deadline status", "Open")
    MET = "met", pgettext_lazy("deadline status", "Met")
    EXPIRED = "expired", pgettext_lazy("deadline status", "Expired")
    CANCELLED = "cancelled", pgettext_lazy("deadline status", "Cancelled")


class RuleCode(models.TextChoices):
    """SPEC §5. The labels are for display; each rule's effect is registered by the app that owns it."""

    CHANGE_REPLY = "change_reply", _("Reply to change letter")
    GOLIVE_OBJECTION = "golive_objection", _("Written objection to go-live")
    GOLIVE_ARRANGEMENT = "golive_arrangement", _("Go-live arrangement")
    COMPENSATION_CLAIM = "compensation_claim", _("Compensation claim window")
    SUPPORT_RESPONSE = "support_response", _("Support request response")
    # The support procedure's "申请、确认、响应时间一览表" and "方案完成时间商定" (support/clocks.py).
    SUPPORT_ENGINEER_RESPONSE = "support_engineer_response", _("Support: engineer's response")
    SUPPORT_WORK_START = "support_work_start", _("Support: work started")
    SUPPORT_PROPOSAL = "support_proposal", _("Support: proposal completed")
    SALES_CONFIRMATION = "sales_confirmation", _("Sales confirmation of completed support")
    FINAL_ACCEPTANCE_REMINDER = "final_acceptance_reminder", _("Final acceptance preparation")


class CorrectionOutcome(models.TextChoices):
    """What a calendar correction did with a deadline whose effect had already fired (SPEC §5)."""

    # The correct end is not later than the moment the effect fired, or the rule keeps the effect
    # (a reminder sent early): the record says so, nothing is undone.
    STANDS = "stands", _("Effect stands")
    # The effect fired before the correct end and the rule withdrew it (e.g. an early overdue
    # flag): the deadline runs again to its correct end.
    WITHDRAWN = "withdrawn", _("Withdrawn; the deadline runs to its correct end")
    # As above, and the awaited act had happened before the correct end: the deadline is met.
    WITHDRAWN_MET = "withdrawn_met", _("Withdrawn; the act was in time")
    # The effect cannot be undone (a deemed acceptance): never reversed automatically, flagged
    # for the administrator on the calendar corrections page.
    ADMIN_REVIEW = "admin_review", _("Flagged for the administrator")
