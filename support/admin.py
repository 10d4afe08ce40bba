"""Support roles are managed here; requests, forms and reports change through the site's workflow
(so every step is checked, clocked and recorded) and the admin shows them with their trail."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Deviation,
    EffortAccount,
    Escalation,
    InternalNote,
    PlanningDocument,
    RequestEvent,
    ServiceForm,
    SupportRequest,
    SupportRole,
    WeeklyReport,
    WeeklyReportEntry,
)


@admin.register(SupportRole)
class SupportRoleAdmin(admin.ModelAdmin):
    """Who is sales, sales lead, sales director, technical director, engineer or administration:
    the recipients of every notification and the permissions of every step follow these rows."""

    list_display = ["user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return list(self.fields)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class EventInline(_ReadOnlyInline):
    model = RequestEvent
    fields = ["at", "kind", "actor", "ip_address", "user_agent", "comment"]


class DeviationInline(_ReadOnlyInline):
    model = Deviation
    fields = ["reported_at", "kind", "description", "reported_by"]


class NoteInline(_ReadOnlyInline):
    model = InternalNote
    fields = ["created_at", "author", "text"]


class PlanningInline(_ReadOnlyInline):
    model = PlanningDocument
    fields = ["kind", "file", "updated_by", "updated_at"]


class EscalationInline(_ReadOnlyInline):
    model = Escalation
    fields = ["raised_at", "path", "subject", "state", "raised_by", "resolved_by", "resolved_at"]


class EffortInline(_ReadOnlyInline):
    model = EffortAccount
    fields = ["engineer", "estimated_hours", "accounted_hours", "set_by", "set_at"]


@admin.register(SupportRequest)
class SupportRequestAdmin(admin.ModelAdmin):
    list_display = ["reference", "title", "customer", "sales", "engineer", "state", "filed_at"]
    list_filter = ["state", "is_emergency", "mode"]
    search_fields = ["title", "customer__name", "customer__short_name", "project__code"]
    list_select_related = ["customer", "sales", "engineer"]
    readonly_fields = [f.name for f in SupportRequest._meta.fields]
    inlines = [PlanningInline, DeviationInline, NoteInline, EscalationInline, EffortInline, EventInline]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(ServiceForm)
class ServiceFormAdmin(admin.ModelAdmin):
    list_display = ["request", "state", "signer", "signed_at", "pdf_status"]
    list_filter = ["state", "pdf_status"]
    list_select_related = ["request", "signer"]
    readonly_fields = [f.name for f in ServiceForm._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


class EntryInline(_ReadOnlyInline):
    model = WeeklyReportEntry
    fields = ["request", "work_done", "hours"]


@admin.register(WeeklyReport)
class WeeklyReportAdmin(admin.ModelAdmin):
    list_display = ["engineer", "week_start", "state", "signer", "signed_at"]
    list_filter = ["state"]
    list_select_related = ["engineer", "signer"]
    readonly_fields = [f.name for f in WeeklyReport._meta.fields]
    inlines = [EntryInline]

    def has_add_permission(self, request) -> bool:
        return False
