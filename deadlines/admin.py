from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import CalendarDay, CalendarYear, Deadline, DeadlineChange
from .services import calendar_day_delete, calendar_day_save, calendar_year_save


def _source(request: HttpRequest) -> str:
    return f"admin:{request.user.get_username()}"


def _report_moved(model_admin: admin.ModelAdmin, request: HttpRequest, moved: list) -> None:
    if moved:
        model_admin.message_user(
            request,
            _("Open deadlines re-computed and their people notified: %(count)s") % {"count": len(moved)},
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
    fields = ["created_at", "old_due_at", "new_due_at", "old_provisional", "new_provisional", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: deadlines are opened and closed by the services of the apps that own them."""

    list_display = ["id", "rule", "target_type", "target_id", "status", "due_at", "provisional", "applied_at"]
    list_filter = ["status", "rule", "provisional"]
    search_fields = ["=id", "=target_id"]
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
        "provisional",
        "status",
        "remind_at",
        "reminder_sent_at",
        "applied_at",
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
