"""Forms of the changes pages: validation and layout only; the services decide the rules."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from delivery.validators import validate_upload

from .enums import KIND_HELP, ChangeKind, ChangeState

TEXT_LIMIT = 10000
MAX_ATTACHMENTS = 10


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern); each one validated."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        if len(files) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)s files.") % {"count": MAX_ATTACHMENTS}, code="too_many"
            )
        cleaned = [super(MultipleFileField, self).clean(f, initial) for f in files]
        for file in cleaned:
            validate_upload(file)
        return cleaned


def _textarea(rows: int = 4) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class ChangeForm(forms.Form):
    """The change letter 项目变更说明函. Offers only the kinds the user may file (§4)."""

    kind = forms.ChoiceField(label=_("Kind of change"), widget=forms.RadioSelect)
    title = forms.CharField(label=_("Subject"), max_length=200)
    reason = forms.CharField(label=_("Reason for the change"), widget=_textarea(5), max_length=TEXT_LIMIT)
    requirements_change = forms.CharField(
        label=_("Requested change to the requirements"),
        widget=_textarea(),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("What the requirements confirmation should say after the change."),
    )
    plan_change = forms.CharField(
        label=_("Requested change to the project plan"),
        widget=_textarea(),
        required=False,
        max_length=TEXT_LIMIT,
        help_text=_("Milestones, dates or activities that should change."),
    )
    attachments = MultipleFileField(
        label=_("Attachments"), required=False, help_text=_("Optional; at most 20 MB each.")
    )

    def __init__(self, *args, kinds: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, ChangeKind(kind).label) for kind in kinds]
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0]
        self.kind_help = [(ChangeKind(kind).label, KIND_HELP[kind]) for kind in kinds]

    def clean(self):
        data = super().clean()
        if not data.get("requirements_change", "").strip() and not data.get("plan_change", "").strip():
            self.add_error(
                "requirements_change",
                _("Describe the change requested to the requirements, to the project plan, or to both."),
            )
        return data


class ReplyForm(forms.Form):
    """§4.2, §4.3: accept or not, with reasons; for 4.2 also the investigation's findings."""

    decision = forms.ChoiceField(
        label=_("Reply"),
        choices=[("accept", _("Accept the change")), ("reject", _("Do not accept the change"))],
        widget=forms.RadioSelect,
    )
    findings = forms.CharField(
        label=_("Findings of the internal investigation"), widget=_textarea(), max_length=TEXT_LIMIT
    )
    reasons = forms.CharField(label=_("Reasons"), widget=_textarea(), max_length=TEXT_LIMIT)

    def __init__(self, *args, needs_findings: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not needs_findings:
            del self.fields["findings"]

    def service_kwargs(self) -> dict:
        """The arguments of services.change_reply (delivery.actions passes them)."""
        data = self.cleaned_data
        return {
            "accept": data["decision"] == "accept",
            "reasons": data["reasons"],
            "findings": data.get("findings", ""),
        }


class NoteForm(forms.Form):
    note = forms.CharField(label=_("What both sides agreed"), widget=_textarea(), max_length=TEXT_LIMIT)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Why the letter is withdrawn"), widget=_textarea(3), max_length=TEXT_LIMIT)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=_textarea(3), max_length=TEXT_LIMIT)


class ClaimForm(forms.Form):
    days_requested = forms.IntegerField(label=_("Days of service requested"), min_value=1, max_value=3650)
    reason = forms.CharField(label=_("Reason for the claim"), widget=_textarea(5), max_length=TEXT_LIMIT)


class ClaimAnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Answer"),
        choices=[("accept", _("Accept the claim")), ("reject", _("Reject the claim"))],
        widget=forms.RadioSelect,
    )
    days_granted = forms.IntegerField(label=_("Days of service granted"), min_value=1, max_value=3650, required=False)
    reasons = forms.CharField(label=_("Reasons"), widget=_textarea(3), max_length=TEXT_LIMIT, required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "accept" and not data.get("days_granted"):
            self.add_error("days_granted", _("Give the number of days of service granted."))
        if data.get("decision") == "reject" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", _("Give the reasons for rejecting the claim."))
        return data

    def service_kwargs(self) -> dict:
        """The arguments of services.claim_answer (delivery.actions passes them)."""
        data = self.cleaned_data
        return {
            "accept": data["decision"] == "accept",
            "days_granted": data.get("days_granted"),
            "reasons": data.get("reasons", ""),
        }


class ChangeFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    overdue = forms.BooleanField(label=_("Overdue replies only"), required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *ChangeKind.choices]
        self.fields["state"].choices = [("", _("All states")), *ChangeState.choices]
