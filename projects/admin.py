from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_fsm.admin import FSMAdminMixin
from django_fsm_log.admin import StateLogInline

from .models import Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    autocomplete_fields = ["user"]


class WorkItemInline(admin.TabularInline):
    model = WorkItem
    extra = 0


class ResponsibilityInline(admin.TabularInline):
    model = ResponsibilityItem
    extra = 0


@admin.register(Project)
class ProjectAdmin(FSMAdminMixin, admin.ModelAdmin):
    """Phase transitions appear as buttons (django-fsm-2); forward ones only when the gate is met.

    "Force to the next phase" and "Move back one phase" ask for a reason first; django-fsm-log
    records every transition with the admin as "by" and the reason as description.
    """

    fsm_fields = ["phase"]
    change_form_template = "admin/projects/project/change_form.html"
    fsm_transition_form_template = "admin/projects/project/transition_form.html"
    list_display = ["code", "name", "customer", "phase", "vendor_pm", "customer_lead", "planned_end"]
    list_filter = ["phase", "customer"]
    list_select_related = ["customer", "vendor_pm", "customer_lead"]
    search_fields = ["code", "name", "contract_number"]
    autocomplete_fields = ["vendor_pm", "customer_lead"]
    readonly_fields = ["created_by", "created_at", "updated_at"]
    inlines = [ProjectMemberInline, WorkItemInline, ResponsibilityInline, StateLogInline]

    @staticmethod
    def get_fsm_block_label(fsm_field_name: str) -> str:
        return str(_("Phase transition"))


@admin.register(ProjectMember)
class ProjectMemberAdmin(admin.ModelAdmin):
    list_display = ["project", "user", "side", "role", "mobile", "email"]
    list_filter = ["side", "role"]
    list_select_related = ["project", "user"]
    search_fields = ["project__code", "user__username", "user__first_name", "email"]
    autocomplete_fields = ["project", "user"]


@admin.register(WorkItem)
class WorkItemAdmin(admin.ModelAdmin):
    list_display = ["project", "__str__", "vendor_share", "customer_share", "order"]
    list_select_related = ["project"]
    search_fields = ["project__code", "name"]


@admin.register(ResponsibilityItem)
class ResponsibilityItemAdmin(admin.ModelAdmin):
    list_display = ["project", "__str__", "side", "status", "due_date"]
    list_filter = ["side", "status"]
    list_select_related = ["project"]
    search_fields = ["project__code", "text"]


@admin.register(Risk)
class RiskAdmin(admin.ModelAdmin):
    list_display = ["project", "__str__", "probability", "impact", "owner", "status"]
    list_filter = ["status", "probability", "impact"]
    list_select_related = ["project", "owner"]
    search_fields = ["project__code", "description"]
    autocomplete_fields = ["project", "owner"]


@admin.register(StatusReport)
class StatusReportAdmin(admin.ModelAdmin):
    list_display = ["project", "report_date", "author"]
    list_select_related = ["project", "author"]
    search_fields = ["project__code", "progress_summary"]
    autocomplete_fields = ["project", "author"]
