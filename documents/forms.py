from __future__ import annotations

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from delivery.validators import validate_upload


class VerifyPdfForm(forms.Form):
    file = forms.FileField(
        label=_("Signed PDF"),
        help_text=_("The PDF file as you received it. It is checked and not kept."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data", "novalidate": ""}
        self.helper.add_input(Submit("verify", _("Verify"), css_id="verify-submit"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_upload(file, allowed_extensions=["pdf"])
        return file
