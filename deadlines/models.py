from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from .calendar import local_date, working_days_left
from .enums import Clock, CorrectionOutcome, DayKind, DeadlineStatus, RuleCode
from .explain import explain_basis


class CalendarYear(models.Model):
    """A year of the official calendar. Published once its State Council schedule is loaded."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_(
            "Unpublished years count the statutory holidays of the 2024 rules (no make-up days) and every "
            "deadline in them is provisional."
        ),
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    loaded_at = models.DateTimeField(_("loaded"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class CalendarDay(models.Model):
    """One exception to the Monday–Friday week: a statutory holiday or a make-up working day (调休)."""

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=DayKind.choices)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    # The date's own year, denormalised for loading and filtering a year (set by the services).
    year = models.PositiveSmallIntegerField(_("year"), db_index=True, editable=False)
    source = models.CharField(_("source"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DayKind.values), name="calendarday_kind_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name_zh}"


class Deadline(ConcurrentTransitionMixin, models.Model):
    """A contractual clock (SPEC §5) running on the working-day calendar.

    Lifecycle: open → met (the awaited act happened in time) | expired (the sweep applied the
    rule's effect) | cancelled. The sweep claims each due deadline in a transaction together
    with its effect, so each effect happens exactly once.
    """

    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, verbose_name=_("about (type)"))
    target_id = models.PositiveBigIntegerField(_("about (id)"))
    target = GenericForeignKey("target_type", "target_id")
    rule = models.CharField(_("rule"), max_length=40, choices=RuleCode.choices)
    clock = models.CharField(_("clock"), max_length=20, choices=Clock.choices, default=Clock.WORKING_DAYS)
    started_at = models.DateTimeField(_("started"))
    working_days = models.PositiveSmallIntegerField(_("working days"))
    due_at = models.DateTimeField(_("due"))
    # When "one working day left" begins; null when the deadline is too short for a reminder.
    remind_at = models.DateTimeField(_("remind at"), null=True, blank=True)
    provisional = models.BooleanField(
        _("provisional"), default=False, help_text=_("Computed across a year whose calendar is not published.")
    )
    # The facts the due date was computed from (exceptions crossed, unpublished years); the
    # explanation is rendered from them in the reader's language.
    basis = models.JSONField(_("computation"), default=dict, blank=True)
    status = FSMField(_("status"), choices=DeadlineStatus.choices, default=DeadlineStatus.OPEN, protected=True)
    applied_at = models.DateTimeField(_("effect applied"), null=True, blank=True)
    # Set when a calendar correction found that the effect fired at a due time computed on a
    # different (provisional) calendar: the due time it fired at; due_at is then the correct end.
    fired_due_at = models.DateTimeField(_("fired at the due time of"), null=True, blank=True)
    correction = models.CharField(
        _("calendar correction"), max_length=20, choices=CorrectionOutcome.choices, blank=True
    )
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    recipients = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="deadlines", blank=True, verbose_name=_("people concerned")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        indexes = [
            # The sweep: "open and due before X", oldest first. Partial, so closed deadlines
            # (the vast majority over time) cost nothing.
            models.Index(fields=["due_at"], condition=Q(status="open"), name="deadline_open_due_idx"),
            models.Index(
                fields=["remind_at"],
                condition=Q(status="open", reminder_sent_at__isnull=True, remind_at__isnull=False),
                name="deadline_reminder_due_idx",
            ),
            models.Index(fields=["target_type", "target_id"], name="deadline_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=DeadlineStatus.values), name="deadline_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.get_rule_display()} · {self.due_date.isoformat()}"

    # --- transitions: state and in-memory fields only; services do the rest -------------------
    @fsm_log_description(allow_inline=False, description="due")
    @transition(field=status, source=DeadlineStatus.OPEN, target=DeadlineStatus.EXPIRED)
    def expire(self) -> None:
        # The sweep performs this transition for a whole batch with one conditional UPDATE
        # (services.deadlines._expire_and_apply); declared here so the state graph is complete.
        self.applied_at = timezone.now()

    @fsm_log_by
    @transition(field=status, source=DeadlineStatus.OPEN, target=DeadlineStatus.MET)
    def mark_met(self, *, by=None) -> None:
        self.met_at = timezone.now()

    @fsm_log_description(allow_inline=False, description="calendar corrected: effect withdrawn")
    @transition(field=status, source=DeadlineStatus.EXPIRED, target=DeadlineStatus.OPEN)
    def reopen(self) -> None:
        # A calendar correction withdrew an effect that fired before the correct end: the sweep
        # applies the rule again at the correct end.
        self.applied_at = None

    @fsm_log_description(allow_inline=False, description="calendar corrected: the act was in time")
    @transition(field=status, source=DeadlineStatus.EXPIRED, target=DeadlineStatus.MET)
    def correct_to_met(self, *, at) -> None:
        self.met_at = at

    @fsm_log_by
    @fsm_log_description
    @transition(field=status, source=DeadlineStatus.OPEN, target=DeadlineStatus.CANCELLED)
    def cancel(self, *, by=None, description: str = "") -> None:
        self.cancelled_at = timezone.now()
        self.cancel_reason = description

    # --- small properties for display -----------------------------------------------------------
    @property
    def due_date(self) -> date:
        """The last day of the period; the deadline ends at 24:00 of this day (Asia/Shanghai)."""

        return local_date(self.due_at - timedelta(microseconds=1))

    @property
    def is_open(self) -> bool:
        return self.status == DeadlineStatus.OPEN

    @property
    def working_days_left(self) -> int:
        return working_days_left(self.due_at)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and timezone.now() >= self.due_at

    @property
    def is_due_today(self) -> bool:
        return self.is_open and local_date(timezone.now()) == self.due_date

    @property
    def explanation(self) -> str:
        return explain_basis(self.basis)

    @property
    def fired_due_date(self) -> date | None:
        """The last day the effect was computed for when it fired under another calendar."""

        return local_date(self.fired_due_at - timedelta(microseconds=1)) if self.fired_due_at else None


class DeadlineChange(models.Model):
    """A due date moved by a calendar change: the history shown to the people concerned.

    For a deadline whose effect had already fired it is a calendar correction: when the effect
    fired, what the correction did with it (outcome) and, for one flagged for the administrator,
    the review.
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="changes", verbose_name=_("deadline"))
    old_due_at = models.DateTimeField(_("old due"))
    new_due_at = models.DateTimeField(_("new due"))
    old_provisional = models.BooleanField(_("was provisional"))
    new_provisional = models.BooleanField(_("is provisional"))
    reason = models.CharField(_("reason"), max_length=300)
    created_at = models.DateTimeField(_("changed"), auto_now_add=True)
    fired_at = models.DateTimeField(_("effect fired"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=CorrectionOutcome.choices, blank=True)
    clause = models.CharField(_("clause"), max_length=40, blank=True)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=Q(outcome="admin_review", reviewed_at__isnull=True),
                name="deadlinechange_review_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.old_due_at:%Y-%m-%d} → {self.new_due_at:%Y-%m-%d}"

    @property
    def is_correction(self) -> bool:
        return self.fired_at is not None

    @property
    def fired_early(self) -> bool:
        """The effect fired before the correct end."""
        return self.fired_at is not None and self.new_due_at > self.fired_at


class CalendarCorrectionManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(fired_at__isnull=False)


class CalendarCorrection(DeadlineChange):
    """The calendar corrections admin page: deadlines whose effect fired before a calendar change."""

    objects = CalendarCorrectionManager()

    class Meta:
        proxy = True
        ordering = ["-created_at", "-id"]
        verbose_name = _("calendar correction")
        verbose_name_plural = _("calendar corrections")
