from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from delivery.forms import form_add_service_error

from .calendar import local_date
from .corrections import deadline_correct
from .enums import CorrectionOutcome, DeadlineStatus
from .models import CalendarCorrection, CalendarDay, CalendarYear, Deadline, DeadlineChange
from .services import calendar_correction_review, calendar_day_delete, calendar_day_save, calendar_year_save


def _source(request: HttpRequest) -> str:
    return f"admin:{request.user.get_username()}"


def _report_moved(model_admin: admin.ModelAdmin, request: HttpRequest, moved: list) -> None:
    opened = [change for change in moved if not change.is_correction]
    corrected = [change for change in moved if change.is_correction]
    flagged = [change for change in corrected if change.outcome == CorrectionOutcome.ADMIN_REVIEW]
    if opened:
        model_admin.message_user(
            request,
            _("Open deadlines re-computed and their people notified: %(count)s") % {"count": len(opened)},
            messages.WARNING,
        )
    if corrected:
        model_admin.message_user(
            request,
            _(
                "Deadlines that had already fired, corrected and their people notified: %(count)s, "
                "of which %(flagged)s need your review on the calendar corrections page."
            )
            % {"count": len(corrected), "flagged": len(flagged)},
            messages.WARNING,
        )


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    """Every edit goes through the calendar services, which re-compute the deadlines it moves."""

    list_display = ["date", "kind", "name_zh", "name_en", "year", "source"]
    list_filter = ["year", "kind"]
    search_fields = ["name_zh", "name_en"]
    fields = ["date", "kind", "name_zh", "name_en", "year", "source", "updated_at"]
    readonly_fields = ["year", "source", "updated_at"]
    ordering = ["-date"]

    def save_model(self, request, obj, form, change) -> None:
        moved = []
        if change and "date" in form.changed_data:
            moved += calendar_day_delete(day=form.initial["date"], source=_source(request))
        row, more = calendar_day_save(
            day=obj.date, kind=obj.kind, name_zh=obj.name_zh, name_en=obj.name_en, source=_source(request)
        )
        obj.pk, obj.year, obj.source, obj.updated_at = row.pk, row.year, row.source, row.updated_at
        _report_moved(self, request, moved + more)

    def delete_model(self, request, obj) -> None:
        _report_moved(self, request, calendar_day_delete(day=obj.date, source=_source(request)))

    def delete_queryset(self, request, queryset) -> None:
        moved = []
        for day in queryset.values_list("date", flat=True):
            moved += calendar_day_delete(day=day, source=_source(request))
        _report_moved(self, request, moved)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ["year", "published", "source", "loaded_at", "exception_count"]
    list_filter = ["published"]
    fields = ["year", "published", "source", "loaded_at"]
    readonly_fields = ["loaded_at"]

    def get_queryset(self, request):
        days = (
            CalendarDay.objects.filter(year=OuterRef("year"))
            .order_by()
            .values("year")
            .annotate(count=Count("id"))
            .values("count")
        )
        return (
            super()
            .get_queryset(request)
            .annotate(exception_count=Coalesce(Subquery(days, output_field=IntegerField()), 0))
        )

    @admin.display(description=_("holidays and make-up days"), ordering="exception_count")
    def exception_count(self, obj: CalendarYear) -> int:
        return obj.exception_count

    def get_readonly_fields(self, request, obj=None):
        return [*self.readonly_fields, "year"] if obj else self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        row, moved = calendar_year_save(year=obj.year, published=obj.published, source=obj.source or _source(request))
        obj.pk, obj.loaded_at = row.pk, row.loaded_at
        _report_moved(self, request, moved)


class DeadlineChangeInline(admin.TabularInline):
    model = DeadlineChange
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "old_due_at",
        "new_due_at",
        "old_provisional",
        "new_provisional",
        "fired_at",
        "outcome",
        "reason",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class DeadlineCorrectionForm(forms.Form):
    due_on = forms.DateField(label=_("New due date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), max_length=250, widget=forms.Textarea(attrs={"rows": 3}))


def _target_ids_for_project_code(term: str) -> Q:
    """Deadlines are about many kinds of object; those that belong to a project match its code."""
    condition = Q(pk__in=[])
    for content_type in ContentType.objects.filter(pk__in=Deadline.objects.values("target_type")):
        model = content_type.model_class()
        if model is None:
            continue
        if model._meta.label == "projects.Project":
            ids = model.objects.filter(code__icontains=term).values("pk")
        elif any(f.name == "project" for f in model._meta.get_fields()):
            ids = model.objects.filter(project__code__icontains=term).values("pk")
        else:
            continue
        condition |= Q(target_type=content_type, target_id__in=ids)
    return condition


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Opened and closed by the services of the apps that own them; an admin may only extend or
    correct an open one, with a reason (deadlines.corrections)."""

    list_display = ["id", "rule", "target_type", "target_id", "status", "due_at", "provisional", "applied_at"]
    list_filter = ["status", "rule", "provisional"]
    search_fields = ["=id", "=target_id", "rule"]
    search_help_text = _("Search by project code, rule (e.g. change_reply) or id.")
    list_select_related = ["target_type"]
    date_hierarchy = "due_at"
    inlines = [DeadlineChangeInline]
    fields = [
        "rule",
        "target_type",
        "target_id",
        "clock",
        "started_at",
        "working_days",
        "due_at",
        "explanation",
        "correct_link",
        "provisional",
        "status",
        "remind_at",
        "reminder_sent_at",
        "applied_at",
        "fired_due_at",
        "correction",
        "met_at",
        "cancelled_at",
        "cancel_reason",
        "recipients",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=_("how it was computed"))
    def explanation(self, obj: Deadline) -> str:
        return obj.explanation

    @admin.display(description=_("extend or correct"))
    def correct_link(self, obj: Deadline) -> str:
        if obj.status != DeadlineStatus.OPEN:
            return "—"
        url = reverse("admin:deadlines_deadline_correct", args=[obj.pk])
        return format_html('<a class="button" href="{}" id="deadline-correct">{}</a>', url, _("Extend or correct…"))

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = search_term.strip()
        if term:
            results = results | queryset.filter(_target_ids_for_project_code(term))
        return results, may_have_duplicates

    def get_urls(self):
        own = [
            path(
                "<int:deadline_id>/correct/",
                self.admin_site.admin_view(self.correct_view),
                name="deadlines_deadline_correct",
            )
        ]
        return own + super().get_urls()

    def correct_view(self, request: HttpRequest, deadline_id: int) -> HttpResponse:
        deadline = get_object_or_404(Deadline, pk=deadline_id)
        form = DeadlineCorrectionForm(request.POST or None, initial={"due_on": deadline.due_date})
        if request.method == "POST" and form.is_valid():
            try:
                deadline_correct(deadline=deadline, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                self.message_user(request, _("Deadline moved; both sides are told."), messages.SUCCESS)
                return redirect("admin:deadlines_deadline_change", deadline.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Extend or correct a deadline"),
            "deadline": deadline,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/deadlines/deadline_correct.html", context)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CalendarCorrection)
class CalendarCorrectionAdmin(admin.ModelAdmin):
    """The calendar corrections page (SPEC §5): deadlines whose effect fired before a calendar
    change. An effect that cannot be undone (a deemed acceptance) is listed for review; the
    administrator records what was done. Nothing here reverses an effect."""

    list_display = [
        "id",
        "deadline_link",
        "rule",
        "about",
        "fired_at",
        "fired_due",
        "correct_due",
        "outcome",
        "clause",
        "reviewed_at",
    ]
    list_filter = ["outcome", ("reviewed_at", admin.EmptyFieldListFilter), "deadline__rule"]
    list_select_related = ["deadline__target_type"]
    search_fields = ["=deadline__id", "=deadline__target_id", "reason"]
    fields = [
        "deadline_link",
        "rule",
        "about",
        "fired_at",
        "fired_due",
        "correct_due",
        "explanation",
        "outcome",
        "clause",
        "reason",
        "created_at",
        "reviewed_at",
        "reviewed_by",
        "review_note",
    ]
    readonly_fields = [field for field in fields if field != "review_note"]

    @admin.display(description=_("deadline"), ordering="deadline_id")
    def deadline_link(self, obj: DeadlineChange) -> str:
        url = reverse("admin:deadlines_deadline_change", args=[obj.deadline_id])
        return format_html('<a href="{}">#{}</a>', url, obj.deadline_id)

    @admin.display(description=_("rule"), ordering="deadline__rule")
    def rule(self, obj: DeadlineChange) -> str:
        return obj.deadline.get_rule_display()

    @admin.display(description=_("about"))
    def about(self, obj: DeadlineChange) -> str:
        return f"{obj.deadline.target_type.name} #{obj.deadline.target_id}"

    @admin.display(description=_("fired at the end of"))
    def fired_due(self, obj: DeadlineChange) -> str:
        return _last_day(obj.old_due_at)

    @admin.display(description=_("correct end"))
    def correct_due(self, obj: DeadlineChange) -> str:
        return _last_day(obj.new_due_at)

    @admin.display(description=_("how the correct end is computed"))
    def explanation(self, obj: DeadlineChange) -> str:
        return obj.deadline.explanation

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.outcome != CorrectionOutcome.ADMIN_REVIEW or obj.reviewed_at is not None):
            return self.fields
        return self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        try:
            row = calendar_correction_review(correction=obj, user=request.user, note=obj.review_note)
        except ValueError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return
        obj.reviewed_at, obj.reviewed_by = row.reviewed_at, row.reviewed_by

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _last_day(moment) -> str:
    return local_date(moment - timedelta(microseconds=1)).isoformat()
