from __future__ import annotations

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .models import CustomTemplate
from .sandbox import MAX_CSS_CHARS, MAX_HTML_CHARS, TemplateProblems
from .services import template_validate


class CustomTemplateUploadForm(forms.ModelForm):
    """A new template version: checked here as signing will render it, so errors show at upload."""

    class Meta:
        model = CustomTemplate
        fields = [
            "deliverable_type",
            "organization",
            "project",
            "name",
            "html",
            "css",
            "extra_signer_roles",
            "agreed_by",
            "agreed_on",
            "agreement_note",
        ]
        widgets = {
            "html": forms.Textarea(attrs={"rows": 24, "cols": 100, "class": "vLargeTextField", "spellcheck": "false"}),
            "css": forms.Textarea(attrs={"rows": 12, "cols": 100, "class": "vLargeTextField", "spellcheck": "false"}),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "html" not in self.fields:  # a stored version: every field is shown read-only
            return
        docs = reverse("admin:doctemplates_customtemplate_context")
        self.fields["html"].help_text = format_html(
            '{} <a href="{}" target="_blank">{}</a>',
            _(
                "The document body in the Django template language (at most %(limit)s characters); "
                "the page skeleton, title and PDF metadata are added for you."
            )
            % {"limit": MAX_HTML_CHARS},
            docs,
            _("What a template can use"),
        )
        self.fields["css"].help_text = _(
            "Applied after the standard stylesheet (at most %(limit)s characters). It may not load files "
            "from other sites."
        ) % {"limit": MAX_CSS_CHARS}
        self.fields["organization"].help_text = _("For every project of this customer, unless the project has its own.")
        self.fields["project"].help_text = _("For this project only. Choose a customer organisation or a project.")

    def clean(self) -> dict:
        data = super().clean()
        if self.errors or data.get("deliverable_type") is None:
            return data
        if (data.get("organization") is None) == (data.get("project") is None):
            return data  # the model's scope constraint says so, once
        try:
            template_validate(
                deliverable_type=data["deliverable_type"],
                html=data.get("html", ""),
                css=data.get("css", ""),
                organization=data.get("organization"),
                project=data.get("project"),
                extra_signer_roles=data.get("extra_signer_roles"),
            )
        except TemplateProblems as problems:
            for problem in problems.problems:
                self.add_error(problem.field, problem.message)
        return data
