from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from delivery.people import display_name

from .enums import Severity, SupportMode


class NoticeForm(forms.Form):
    planned_start = forms.DateField(
        label=_("Planned go-live start date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label=_("Arrangements"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class ObjectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the objection"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )


class ActualGoLiveForm(forms.Form):
    went_live_on = forms.DateField(label=_("In production since"), widget=forms.DateInput(attrs={"type": "date"}))
    statement = forms.CharField(
        label=_("Confirmation against the requirements confirmation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = display_name(user)
        return f"{name} ({user.get_username()})" if name != user.get_username() else name


class VisitForm(forms.Form):
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    consultant = PersonChoiceField(label=_("Consultant"), queryset=None)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)

    def __init__(self, *args, people, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consultant"].queryset = people

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("starts_on") and cleaned.get("ends_on") and cleaned["ends_on"] < cleaned["starts_on"]:
            self.add_error("ends_on", _("The visit ends before it starts."))
        return cleaned


class ProblemReportForm(forms.Form):
    description = forms.CharField(label=_("Problem"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices, initial=Severity.MAJOR)
    support_mode = forms.ChoiceField(label=_("Support mode"), choices=SupportMode.choices, initial=SupportMode.REMOTE)


class ProblemUpdateForm(forms.Form):
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000)
    tracking = forms.CharField(
        label=_("Tracking notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    result = forms.CharField(
        label=_("Result"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5000
    )
    support_mode = forms.ChoiceField(label=_("Support mode"), choices=SupportMode.choices)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    reason = forms.CharField(
        label=_("Reason for reopening"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
        help_text=_("Needed only to reopen the problem."),
    )


class AcceptanceMeetingForm(forms.Form):
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200)
    attendees = forms.CharField(
        label=_("Attendees of both sides"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
