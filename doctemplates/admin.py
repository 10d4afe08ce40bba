"""Customised templates in the admin: upload (checked), preview with a real version, activate, retire.

A saved template is never edited: "Upload a new version" starts a new upload from its text.
"""

from __future__ import annotations

from pathlib import Path

from csp.constants import SELF
from csp.decorators import csp_replace
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from delivery.people import display_name
from documents.services import RequestMeta

from .context import version_context
from .enums import TemplateState
from .forms import CustomTemplateUploadForm
from .models import CustomTemplate, TemplateEvent
from .sandbox import TemplateProblems, render_custom_pdf
from .selectors import template_preview_versions
from .services import template_activate, template_retire, template_upload

DOCS_PATH = Path(settings.BASE_DIR) / "docs" / "templates.md"
COPIED_FIELDS = [
    "deliverable_type",
    "organization",
    "project",
    "name",
    "html",
    "css",
    "extra_signer_roles",
    "agreed_by",
    "agreement_note",
]


class EventInline(admin.TabularInline):
    model = TemplateEvent
    extra = 0
    can_delete = False
    fields = ["kind", "by", "at", "version", "state", "comment"]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("by"))
    def by(self, event: TemplateEvent) -> str:
        return display_name(event.actor)

    @admin.display(description=gettext_lazy("state"))
    def state(self, event: TemplateEvent) -> str:
        labels = dict(TemplateState.choices)
        return " → ".join(str(labels[s]) for s in (event.from_state, event.to_state) if s)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        related = ["template", "actor", "version__deliverable__project", "version__deliverable__type"]
        return super().get_queryset(request).select_related(*related)


@admin.register(CustomTemplate)
class CustomTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "number", "deliverable_type", "organization", "project", "state", "uploaded_at"]
    list_filter = ["state", "deliverable_type"]
    search_fields = ["name", "organization__name", "project__code", "project__name"]
    list_select_related = ["deliverable_type", "organization", "project"]
    form = CustomTemplateUploadForm
    change_form_template = "admin/doctemplates/customtemplate/change_form.html"
    inlines = [EventInline]
    actions = ["activate_selected", "retire_selected"]

    # --- upload and read-only versions ---------------------------------------------------------

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        if obj is None:
            return []
        return [
            *CustomTemplateUploadForm.Meta.fields,
            "number",
            "state",
            "uploaded_by",
            "uploaded_at",
            "activated_by",
            "activated_at",
            "retired_at",
        ]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        initial = super().get_changeform_initial_data(request)
        source_id = request.GET.get("from", "")
        if source_id.isdigit():
            source = CustomTemplate.objects.filter(pk=int(source_id)).first()
            if source is not None:
                initial.update({name: getattr(source, f"{name}_id", getattr(source, name)) for name in COPIED_FIELDS})
        return initial

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing to save on a stored version: the page offers preview, activate, retire, new version.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # versions and their trail are kept; retire instead

    def save_model(self, request, obj: CustomTemplate, form, change: bool) -> None:
        if change:
            raise PermissionDenied
        data = form.cleaned_data
        created = template_upload(
            user=request.user,
            meta=RequestMeta.from_request(request),
            **{name: data[name] for name in [*COPIED_FIELDS, "agreed_on"]},
        )
        obj.pk, obj.number = created.pk, created.number

    # --- preview, activate, retire -------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("context/", view(self.context_view), name="doctemplates_customtemplate_context"),
            path("<int:pk>/preview/", view(self.preview_view), name="doctemplates_customtemplate_preview"),
            path(
                "<int:pk>/preview/<int:version_id>/pdf/",
                view(self.preview_pdf_view),
                name="doctemplates_customtemplate_preview_pdf",
            ),
            path(
                "<int:pk>/activate/",
                view(require_POST(self.activate_view)),
                name="doctemplates_customtemplate_activate",
            ),
            path("<int:pk>/retire/", view(require_POST(self.retire_view)), name="doctemplates_customtemplate_retire"),
            *super().get_urls(),
        ]

    def _template_for(self, request: HttpRequest, pk: int, *, change: bool = False) -> CustomTemplate:
        template = get_object_or_404(
            CustomTemplate.objects.select_related("deliverable_type", "organization", "project"), pk=pk
        )
        allowed = (
            self.has_change_permission(request, template) if change else self.has_view_permission(request, template)
        )
        if not allowed:
            raise PermissionDenied
        return template

    def context_view(self, request: HttpRequest) -> TemplateResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("What a customised template can use"),
            "documentation": DOCS_PATH.read_text(encoding="utf-8"),
        }
        return TemplateResponse(request, "admin/doctemplates/customtemplate/context.html", context)

    def preview_view(self, request: HttpRequest, pk: int) -> TemplateResponse:
        template = self._template_for(request, pk)
        versions = list(template_preview_versions(template)[:200])
        chosen = next((v for v in versions if str(v.pk) == request.GET.get("version", "")), None)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": template,
            "title": _("Preview of %(template)s") % {"template": template},
            "versions": versions,
            "chosen": chosen,
            "pdf_url": reverse("admin:doctemplates_customtemplate_preview_pdf", args=[template.pk, chosen.pk])
            if chosen
            else "",
        }
        return TemplateResponse(request, "admin/doctemplates/customtemplate/preview.html", context)

    @csp_replace({"frame-ancestors": [SELF]}, REPORT_ONLY=settings.CONTENT_SECURITY_POLICY is None)
    def preview_pdf_view(self, request: HttpRequest, pk: int, version_id: int) -> HttpResponse:
        """The template with a real version's content, unsigned, shown inline on the preview page."""
        template = self._template_for(request, pk)
        version = template_preview_versions(template).filter(pk=version_id).first()
        if version is None:
            raise Http404
        try:
            pdf = render_custom_pdf(
                html=template.html, css=template.css, label=template.label, context=version_context(version)
            )
        except TemplateProblems as problems:
            return HttpResponse(str(problems), status=422, content_type="text/plain; charset=utf-8")
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="template-{template.pk}-preview-{version.pk}.pdf"'
        response["X-Frame-Options"] = "SAMEORIGIN"
        return response

    def activate_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = self._template_for(request, pk, change=True)
        self._run(request, template_activate, template, _("%(template)s is now active."))
        return redirect("admin:doctemplates_customtemplate_change", template.pk)

    def retire_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = self._template_for(request, pk, change=True)
        self._run(request, template_retire, template, _("%(template)s is retired."))
        return redirect("admin:doctemplates_customtemplate_change", template.pk)

    def _run(self, request: HttpRequest, service, template: CustomTemplate, done: str) -> bool:
        try:
            service(template=template, user=request.user, meta=RequestMeta.from_request(request))
        except PermissionDenied as exc:
            self.message_user(request, str(exc) or _("You may not do this."), messages.ERROR)
            return False
        except TemplateProblems as problems:
            self.message_user(request, str(problems), messages.ERROR)
            return False
        self.message_user(request, done % {"template": template}, messages.SUCCESS)
        return True

    @admin.action(description=gettext_lazy("Activate the selected templates"), permissions=["change"])
    def activate_selected(self, request: HttpRequest, queryset) -> None:
        for template in queryset.filter(state=TemplateState.DRAFT).order_by("number"):
            self._run(request, template_activate, template, _("%(template)s is now active."))

    @admin.action(description=gettext_lazy("Retire the selected templates"), permissions=["change"])
    def retire_selected(self, request: HttpRequest, queryset) -> None:
        for template in queryset.exclude(state=TemplateState.RETIRED):
            self._run(request, template_retire, template, _("%(template)s is retired."))
