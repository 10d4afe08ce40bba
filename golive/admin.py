from django.contrib import admin

from .models import GoLiveNotice, Objection, OperationProblem, SupportVisit


class ObjectionInline(admin.TabularInline):
    model = Objection
    extra = 0
    readonly_fields = ["filed_by", "filed_at", "reason", "ip_address", "user_agent"]


@admin.register(GoLiveNotice)
class GoLiveNoticeAdmin(admin.ModelAdmin):
    list_display = ["project", "planned_start", "received_at", "status", "deemed_on"]
    list_filter = ["status"]
    readonly_fields = [
        "project",
        "version",
        "planned_start",
        "received_at",
        "status",
        "objection_deadline",
        "arrangement_deadline",
        "deemed_on",
        "issued_by",
    ]
    inlines = [ObjectionInline]


@admin.register(OperationProblem)
class OperationProblemAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "severity", "support_mode", "status", "reported_at"]
    list_filter = ["status", "severity"]
    search_fields = ["project__code", "description"]


@admin.register(SupportVisit)
class SupportVisitAdmin(admin.ModelAdmin):
    list_display = ["project", "starts_on", "ends_on", "consultant"]
