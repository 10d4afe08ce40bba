from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from .enums import NoticeStatus, ProblemStatus, Severity, SupportMode


class GoLiveNotice(ConcurrentTransitionMixin, models.Model):
    """A go-live notice 项目上线通知 and its two clocks (SPEC §5, §3.1.4):

    (a) 15 working days from receipt for a written objection;
    (b) 15 working days from the stated go-live start date for arranging go-live.
    Neither objection nor go-live when both have run out: deemed live on the later end.
    """

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="golive_notices")
    version = models.OneToOneField(
        "documents.DeliverableVersion", on_delete=models.PROTECT, related_name="golive_notice", verbose_name=_("notice")
    )
    planned_start = models.DateField(_("planned go-live start date"))
    # §3.1.4: the notice is received, not signed. Clock (a) starts when it is delivered to the
    # customer lead; the lead's first opening is kept as evidence of receipt.
    received_at = models.DateTimeField(_("delivered to the customer lead"))
    first_opened_at = models.DateTimeField(_("first opened by the customer lead"), null=True, blank=True)
    status = FSMField(_("status"), default=NoticeStatus.RUNNING, choices=NoticeStatus.choices, protected=True)
    objection_deadline = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    arrangement_deadline = models.ForeignKey(
        "deadlines.Deadline", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    deemed_on = models.DateField(_("deemed live on"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("go-live notice")
        verbose_name_plural = _("go-live notices")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.planned_start}"

    @transition(field=status, source=NoticeStatus.RUNNING, target=NoticeStatus.OBJECTED)
    def object(self) -> None:
        pass

    @transition(field=status, source=[NoticeStatus.RUNNING, NoticeStatus.OBJECTED], target=NoticeStatus.REPLACED)
    def replace(self) -> None:
        pass

    @transition(field=status, source=NoticeStatus.RUNNING, target=NoticeStatus.CONFIRMED)
    def confirm(self) -> None:
        pass

    @transition(field=status, source=NoticeStatus.RUNNING, target=NoticeStatus.DEEMED)
    def deem(self, *, on) -> None:
        self.deemed_on = on


class Objection(models.Model):
    """A written objection by the customer lead (§3.1.4): stops deemed acceptance."""

    notice = models.ForeignKey(GoLiveNotice, on_delete=models.CASCADE, related_name="objections")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    filed_at = models.DateTimeField(_("filed at"))
    reason = models.TextField(_("reason"))
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["filed_at"]
        verbose_name = _("written objection")
        verbose_name_plural = _("written objections")

    def __str__(self) -> str:
        return f"{self.notice} · {self.filed_at:%Y-%m-%d}"


class SupportVisit(models.Model):
    """The on-site support schedule after go-live (continuous-support stage)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="support_visits")
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("consultant")
    )
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="visit_end_after_start")
        ]
        verbose_name = _("on-site support visit")
        verbose_name_plural = _("on-site support visits")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.starts_on}"


class OperationProblem(ConcurrentTransitionMixin, models.Model):
    """One entry of the operation problem log 系统运行问题跟踪记录单 (external: customers see it)."""

    project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, related_name="operation_problems")
    number = models.PositiveIntegerField(_("no."))
    description = models.TextField(_("problem"))
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MAJOR)
    support_mode = models.CharField(
        _("support mode"), max_length=10, choices=SupportMode.choices, default=SupportMode.REMOTE
    )
    cause = models.TextField(_("cause"), blank=True)
    tracking = models.TextField(_("tracking notes"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    result = models.TextField(_("result"), blank=True)
    status = FSMField(_("status"), default=ProblemStatus.OPEN, choices=ProblemStatus.choices, protected=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("reported by")
    )
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="problem_number_unique")]
        indexes = [models.Index(fields=["project", "status"], name="problem_status_idx")]
        verbose_name = _("operation problem")
        verbose_name_plural = _("operation problems")

    def __str__(self) -> str:
        return f"{self.project.code} #{self.number}"

    @transition(field=status, source=ProblemStatus.OPEN, target=ProblemStatus.IN_PROGRESS)
    def start(self) -> None:
        pass

    @transition(field=status, source=[ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS], target=ProblemStatus.RESOLVED)
    def resolve(self) -> None:
        pass

    @transition(field=status, source=ProblemStatus.RESOLVED, target=ProblemStatus.CLOSED)
    def close(self) -> None:
        pass

    @transition(field=status, source=[ProblemStatus.RESOLVED, ProblemStatus.CLOSED], target=ProblemStatus.OPEN)
    def reopen(self) -> None:
        pass


class ProblemEvent(models.Model):
    """The history of an operation problem: who did what when, and what changed."""

    problem = models.ForeignKey(OperationProblem, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=20)  # reported, edited, start, resolve, close, reopen
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("time"))
    # [[field, old, new], ...] for the fields that changed.
    changes = models.JSONField(_("changes"), default=list, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("problem history entry")
        verbose_name_plural = _("problem history")

    def __str__(self) -> str:
        return f"{self.problem} · {self.action}"

    ACTION_LABELS = {
        "reported": pgettext_lazy("problem history", "reported"),
        "edited": pgettext_lazy("problem history", "edited"),
        "start": pgettext_lazy("problem history", "work started"),
        "resolve": pgettext_lazy("problem history", "resolved"),
        "close": pgettext_lazy("problem history", "closed"),
        "reopen": pgettext_lazy("problem history", "reopened"),
    }

    def get_action_label(self) -> str:
        return str(self.ACTION_LABELS.get(self.action, self.action))

    @property
    def change_rows(self) -> list[tuple[str, str, str]]:
        """(field label, old, new) for display."""
        fields = {f.name: f for f in OperationProblem._meta.get_fields()}
        rows = []
        for name, old, new in self.changes:
            field = fields.get(name)
            label = str(field.verbose_name) if field is not None else name
            choices = dict(field.choices or ()) if field is not None and field.choices else {}
            rows.append((label, str(choices.get(old, old)), str(choices.get(new, new))))
        return rows


class AcceptanceMeeting(models.Model):
    """The final acceptance meeting (ERP method: the acceptance notice names time, place and
    attendees); final acceptance is signed only once it is held."""

    project = models.OneToOneField(
        "projects.Project", on_delete=models.CASCADE, related_name="acceptance_meeting", verbose_name=_("project")
    )
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    attendees = models.TextField(_("attendees of both sides"))
    minutes = models.TextField(_("minutes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    recorded_at = models.DateTimeField(_("recorded"))

    class Meta:
        verbose_name = _("acceptance meeting")
        verbose_name_plural = _("acceptance meetings")

    def __str__(self) -> str:
        return f"{self.project.code} · {self.held_on}"
