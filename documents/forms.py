from __future__ import annotations

import datetime
import uuid

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delivery.validators import validate_mobile, validate_upload
from projects.enums import REQUIRED_ROLES, MemberRole

from .enums import DeliverableCode, OfflineEvidenceKind
from .schema import Field, Schema, Table, schema_for


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


# --- Content editing, driven by documents.schema ---------------------------------------------


def _form_field(field: Field) -> forms.Field:
    common = {"label": field.label, "required": field.required}
    if field.kind == "textarea":
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, **common)
    if field.kind == "date":
        return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"), **common)
    if field.kind == "datetime":
        return forms.DateTimeField(
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"), **common
        )
    if field.kind == "mobile":
        return forms.CharField(max_length=30, validators=[validate_mobile], **common)
    if field.kind == "choice":
        return forms.ChoiceField(choices=[("", "---------"), *field.choices], **common)
    if field.kind == "secret":
        return forms.CharField(
            label=field.label,
            required=False,
            max_length=200,
            strip=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
            help_text=_("Stored encrypted. Leave empty to keep the stored password."),
        )
    return forms.CharField(max_length=300, **common)


def _serialise(value: object) -> object:
    if isinstance(value, datetime.datetime):
        return (
            timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            if timezone.is_aware(value)
            else value.strftime("%Y-%m-%d %H:%M")
        )
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


class ContentFieldsForm(forms.Form):
    def __init__(self, *args, schema: Schema, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in schema.fields:
            self.fields[field.name] = _form_field(field)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class BaseRowFormSet(forms.BaseFormSet):
    table: Table

    def rows(self) -> list[dict]:
        """The kept rows, in order, each with its uid (new rows get one here, once)."""
        if getattr(self, "_rows", None) is not None:
            return [dict(row) for row in self._rows]
        rows = []
        for form in self.forms:
            if not form.has_changed() and not form.cleaned_data.get("uid"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            data = {k: _serialise(v) for k, v in form.cleaned_data.items() if k != "DELETE"}
            data["uid"] = data.get("uid") or uuid.uuid4().hex[:12]
            rows.append(data)
        self._rows = rows
        return [dict(row) for row in rows]


def row_formset_class(table: Table) -> type[BaseRowFormSet]:
    attrs = {column.name: _form_field(column) for column in table.columns}
    attrs["uid"] = forms.CharField(widget=forms.HiddenInput, required=False)
    row_form = type(f"{table.name.title()}RowForm", (forms.Form,), attrs)
    formset = forms.formset_factory(row_form, formset=BaseRowFormSet, extra=1, can_delete=True, max_num=500)
    formset.table = table
    return formset


class ContentEditor:
    """The draft form of a deliverable type: its scalar fields plus one formset per table."""

    def __init__(self, *, type_code: str, content: dict, data=None) -> None:
        self.type_code = type_code
        self.schema = schema_for(type_code)
        self.fields_form = ContentFieldsForm(
            data, schema=self.schema, initial={f.name: content.get(f.name) for f in self.schema.fields}, prefix="f"
        )
        self.formsets = [
            row_formset_class(table)(
                data, initial=[_row_initial(table, row) for row in content.get(table.name, [])], prefix=table.name
            )
            for table in self.schema.tables
        ]
        self.problems: list[str] = []

    def is_valid(self) -> bool:
        valid = self.fields_form.is_valid() & all([fs.is_valid() for fs in self.formsets])
        if valid:
            self.problems = content_problems(self.type_code, self.content())
        return valid

    def content(self) -> dict:
        content = {name: _serialise(value) for name, value in self.fields_form.cleaned_data.items()}
        for formset in self.formsets:
            content[formset.table.name] = formset.rows()
        return content

    def secrets(self, content: dict) -> dict[str, str]:
        """New passwords typed into secret columns, keyed "<row uid>:<column>"."""
        secrets = {}
        for formset, table in zip(self.formsets, self.schema.tables, strict=True):
            for column in table.columns:
                if column.kind != "secret":
                    continue
                for row in formset.rows():
                    if row.get(column.name):
                        secrets[f"{row['uid']}:{column.name}"] = row[column.name]
        for table in self.schema.tables:
            for column in (c for c in table.columns if c.kind == "secret"):
                for row in content.get(table.name, []):
                    row[column.name] = ""  # the password never goes into the content
        return secrets


def _row_initial(table: Table, row: dict) -> dict:
    return {k: ("" if any(c.name == k and c.kind == "secret" for c in table.columns) else v) for k, v in row.items()}


def content_problems(type_code: str, content: dict) -> list[str]:
    """Rules a version must meet before it is submitted (shown on the draft page too)."""
    schema = schema_for(type_code)
    problems = []
    for table in schema.tables:
        if len(content.get(table.name, [])) < table.min_rows:
            problems.append(
                _("“%(table)s” needs at least %(count)s row(s).") % {"table": table.label, "count": table.min_rows}
            )
    if type_code == DeliverableCode.CONTACT_DIRECTORY:
        present = {row.get("role") for row in content.get("contacts", [])}
        for role in REQUIRED_ROLES:
            if role not in present:
                problems.append(_("The directory needs a “%(role)s” (§2).") % {"role": MemberRole(role).label})
    if type_code == DeliverableCode.PROJECT_PLAN:
        kinds = {m.get("kind") for m in content.get("milestones", [])}
        labels = dict(schema.table("milestones").columns[1].choices)
        for kind in schema.extra["required_milestone_kinds"]:
            if kind not in kinds:
                problems.append(_("The plan needs a “%(kind)s” milestone (§2).") % {"kind": labels[kind]})
        for table in ("milestones", "activities"):
            start, end = ("planned_start", "planned_end") if table == "milestones" else ("start", "end")
            for row in content.get(table, []):
                if row.get(start) and row.get(end) and row[end] < row[start]:
                    problems.append(_("“%(name)s” ends before it starts.") % {"name": row.get("name", "")})
    return problems


class SignForm(forms.Form):
    typed_name = forms.CharField(label=_("Your full name"), max_length=100)
    consent = forms.BooleanField(
        label=_("I have read this version and sign it as the project lead of my side."), required=False
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password again to confirm it is you."),
    )


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs to change"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class OfflineConfirmationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Evidence"), choices=OfflineEvidenceKind.choices)
    evidence = forms.FileField(
        label=_("Evidence file"), help_text=_("The signed scan or the confirmation e-mail (at most 20 MB).")
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000)

    def clean_evidence(self):
        file = self.cleaned_data["evidence"]
        validate_upload(file)
        return file


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Attachment"), help_text=_("At most 20 MB."))

    def clean_file(self):
        file = self.cleaned_data["file"]
        validate_upload(file)
        return file
