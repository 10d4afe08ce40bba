from __future__ import annotations

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition
from django_fsm.admin import FSMAdminMixin
from django_fsm_log.admin import StateLogInline

from . import services
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

    def _apply_fsm_transition(self, *, obj: Project, transition_name: str, request, kwargs=None) -> bool:
        """Every button goes through the phase services: the gate is checked, the move logged and
        the team notified (a forced gate says by whom and why), as on the project page."""
        reason = (kwargs or {}).get("description") or ""
        if transition_name == "force_advance":
            call = partial(services.project_phase_force, reason=reason)
        elif transition_name == "move_back":
            call = partial(services.project_phase_back, reason=reason)
        else:
            call = partial(services.project_phase_advance, reason=reason)
        try:
            call(project=obj, user=request.user)
        except services.GateNotPassed as refused:
            missing = gettext("; ").join(refused.missing)
            message = gettext("The gate is not passed. Missing: %(items)s") % {"items": missing}
            self.message_user(request, message, messages.ERROR)
            return False
        except (ValidationError, PermissionDenied, ConcurrentTransition) as error:
            text = " ".join(getattr(error, "messages", [])) or str(gettext("You may not make this move."))
            self.message_user(request, text, messages.ERROR)
            return False
        self.message_user(
            request, gettext("The project is now in %(phase)s.") % {"phase": obj.get_phase_display()}, messages.SUCCESS
        )
        return True


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
