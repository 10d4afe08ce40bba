"""Support roles are managed here; requests, forms and reports change through the site's workflow
(so every step is checked, clocked and recorded) and the admin shows them with their trail."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganizationKind
from delivery.admin_site import person_label

from .enums import SupportRoleKind
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
from .services.roles import support_roles_set


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        return person_label(user)


class PersonRolesForm(forms.Form):
    """One person, all their support roles ticked at once."""

    person = PersonField(label=_("person"), queryset=get_user_model().objects.none())
    roles = forms.MultipleChoiceField(
        label=_("Support roles"), choices=SupportRoleKind.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (
            get_user_model()
            .objects.filter(is_active=True, profile__organization__kind=OrganizationKind.VENDOR)
            .select_related("profile__organization")
            .order_by("first_name", "username")
        )


@admin.register(SupportRole)
class SupportRoleAdmin(admin.ModelAdmin):
    """Who is sales, sales lead, sales director, technical director, engineer or administration:
    the recipients of every notification and the permissions of every step follow these rows.
    "Roles of a person" sets all of one person's roles at once."""

    list_display = ["user", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "user__email"]
    autocomplete_fields = ["user"]
    list_select_related = ["user"]
    change_list_template = "admin/support/supportrole/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view(self.person_roles_view)
        return [path("person/", view, name="support_supportrole_person"), *super().get_urls()]

    def person_roles_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        person_id = request.POST.get("person") or request.GET.get("person")
        initial = {"person": person_id}
        if person_id and str(person_id).isdigit():
            initial["roles"] = list(SupportRole.objects.filter(user_id=person_id).values_list("role", flat=True))
        form = PersonRolesForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            person = form.cleaned_data["person"]
            try:
                support_roles_set(user=request.user, person=person, roles=form.cleaned_data["roles"])
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                self.message_user(request, _("Support roles saved."), messages.SUCCESS)
                return redirect(reverse("admin:support_supportrole_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Support roles of a person"),
            "form": form,
        }
        return TemplateResponse(request, "admin/support/supportrole/person.html", context)


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
    list_display = ["engineer", "week_start", "customer", "state", "signer", "signed_at"]
    list_filter = ["state"]
    list_select_related = ["engineer", "customer", "signer"]
    readonly_fields = [f.name for f in WeeklyReport._meta.fields]
    inlines = [EntryInline]

    def has_add_permission(self, request) -> bool:
        return False
