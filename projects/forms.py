"""Validation and layout only: the views hand ``cleaned_data`` to a service, never ``form.save()``."""

from __future__ import annotations

from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row
from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from accounts.selectors import organization_customer_list, user_email_taken, user_list_for_organization
from delivery.people import display_name
from delivery.validators import validate_mobile

from .enums import (
    CUSTOMER_ROLES,
    GOLIVE_MANDATORY_BASES,
    VENDOR_ROLES,
    MemberRole,
    Phase,
    Service,
    Side,
)
from .models import KickoffMeeting, Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem

User = get_user_model()


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: object) -> str:
        profile = getattr(user, "profile", None)
        position = getattr(profile, "position", "")
        name = display_name(user)
        return f"{name} · {position}" if position else name


class ProjectForm(forms.ModelForm):
    """Create and edit a project from its contract (§1). ``vendor_pms`` limits who can lead it."""

    services = forms.MultipleChoiceField(
        label=_("Services bought"), choices=Service.choices, widget=forms.CheckboxSelectMultiple
    )
    vendor_pm = PersonChoiceField(label=_("Vendor project manager"), queryset=User.objects.none())
    customer_lead = PersonChoiceField(
        label=_("Customer project lead"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Signs off deliverables. A person without an account is added on the team page."),
    )

    class Meta:
        model = Project
        fields = [
            "code",
            "name",
            "customer",
            "contract_number",
            "contract_date",
            "services",
            "services_other",
            "golive_applies",
            "golive_basis",
            "golive_note",
            "planned_start",
            "planned_end",
            "vendor_pm",
            "customer_lead",
            "contact_directory_required",
        ]
        widgets = {
            "contract_date": DateInput(),
            "planned_start": DateInput(),
            "planned_end": DateInput(),
        }
        help_texts = {
            "code": _("Unique and permanent, e.g. HX-2026-001."),
            "golive_applies": _(
                "§1: go-live applies to a newly bought system or standard module and to a major-version "
                "upgrade; otherwise the contract or the kick-off decides."
            ),
        }

    def __init__(self, *args: object, vendor_pms, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        creating = self.instance.pk is None
        self.fields["customer"].queryset = organization_customer_list()
        self.fields["customer"].label_from_instance = lambda organization: organization.name
        self.fields["vendor_pm"].queryset = vendor_pms
        if creating:
            # The customer's lead is chosen once the customer is known, or added on the team page.
            del self.fields["customer_lead"]
        else:
            del self.fields["code"]
            self.fields["customer_lead"].queryset = user_list_for_organization(
                organization_id=self.instance.customer_id
            )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                _("Contract"),
                Row(Column("code", css_class="col-md-4"), Column("name", css_class="col-md-8"))
                if creating
                else Row(Column("name")),
                Row(
                    Column("customer", css_class="col-md-6"),
                    Column("contract_number", css_class="col-md-3"),
                    Column("contract_date", css_class="col-md-3"),
                ),
                InlineCheckboxes("services"),
                "services_other",
            ),
            Fieldset(
                _("Go-live"),
                "golive_applies",
                Row(Column("golive_basis", css_class="col-md-5"), Column("golive_note", css_class="col-md-7")),
            ),
            Fieldset(
                _("Schedule and leads"),
                Row(
                    Column("planned_start", css_class="col-md-3"),
                    Column("planned_end", css_class="col-md-3"),
                ),
                Row(
                    Column("vendor_pm", css_class="col-md-6"),
                    *([] if creating else [Column("customer_lead", css_class="col-md-6")]),
                ),
                "contact_directory_required",
            ),
        )

    def clean(self) -> dict:
        data = super().clean()
        services = data.get("services") or []
        if Service.OTHER in services and not data.get("services_other"):
            self.add_error("services_other", _("Describe the other services."))
        if data.get("services_other") and Service.OTHER not in services:
            self.add_error("services", _("Tick “Other” when you describe other services."))
        if data.get("golive_basis") in GOLIVE_MANDATORY_BASES and not data.get("golive_applies"):
            self.add_error(
                "golive_applies",
                _("Go-live applies to a newly bought system or standard module and to a major-version upgrade."),
            )
        return data


class KickoffForm(forms.ModelForm):
    """The kick-off meeting record (§3.1, initiation), kept by the vendor PM."""

    class Meta:
        model = KickoffMeeting
        fields = ["held_on", "place", "vendor_attendees", "customer_attendees", "agenda", "minutes", "decisions"]
        widgets = {
            "held_on": DateInput(),
            "vendor_attendees": forms.Textarea(attrs={"rows": 3}),
            "customer_attendees": forms.Textarea(attrs={"rows": 3}),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 4}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
        }


class ProjectFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    phase = forms.ChoiceField(label=_("Phase"), required=False)
    # A search box: a select listing every customer organisation grows with the customer base.
    customer = forms.CharField(label=_("Customer"), required=False, max_length=100)
    pm = forms.TypedChoiceField(label=_("Project manager"), required=False, coerce=int, empty_value=None)
    overdue = forms.BooleanField(label=_("Has overdue items"), required=False)

    def __init__(self, *args: object, pms: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["phase"].choices = everything + list(Phase.choices)
        self.fields["pm"].choices = everything + pms
        self.fields["q"].widget.attrs["placeholder"] = _("Code or name")
        self.fields["customer"].widget.attrs["placeholder"] = _("Customer name")


class MemberAddForm(forms.Form):
    """Pick someone with an account, or describe a new person (who is then invited by e-mail)."""

    role = forms.ChoiceField(label=_("Role"), choices=MemberRole.choices)
    user = PersonChoiceField(label=_("Existing person"), queryset=User.objects.none(), required=False)
    full_name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    position = forms.CharField(label=_("Position"), max_length=100, required=False)
    mobile = forms.CharField(label=_("Mobile"), max_length=30, required=False, validators=[validate_mobile])
    make_customer_lead = forms.BooleanField(
        label=_("This person is the customer's project lead (signs off deliverables)"), required=False
    )

    def __init__(self, *args: object, people, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = people
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            "role",
            Fieldset(_("A person who has an account"), "user"),
            Fieldset(
                _("Or a new person: an account is created and an invitation e-mailed"),
                Row(Column("full_name"), Column("email")),
            ),
            Row(Column("position"), Column("mobile")),
            "make_customer_lead",
        )

    def clean(self) -> dict:
        data = super().clean()
        user, full_name, email = data.get("user"), data.get("full_name"), data.get("email")
        if user and (full_name or email):
            raise forms.ValidationError(_("Choose an existing person or describe a new one, not both."))
        if not user:
            if not full_name:
                self.add_error("full_name", _("Enter the new person's full name, or choose an existing person."))
            if not email and "email" not in self.errors:
                self.add_error("email", _("Enter the new person's e-mail address: the invitation goes there."))
            elif email and user_email_taken(email=email):
                self.add_error(
                    "email",
                    _("A person with this e-mail address already has an account: choose them under “Existing person”."),
                )
        if data.get("make_customer_lead") and data.get("role") not in CUSTOMER_ROLES:
            self.add_error("make_customer_lead", _("Only a customer member can be the customer project lead."))
        return data


class MemberEditForm(forms.ModelForm):
    class Meta:
        model = ProjectMember
        fields = ["role", "position", "mobile", "email"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        same_side = CUSTOMER_ROLES if self.instance.side == Side.CUSTOMER else VENDOR_ROLES
        self.fields["role"].choices = [(role.value, role.label) for role in same_side]


class WorkItemForm(forms.ModelForm):
    class Meta:
        model = WorkItem
        fields = ["name", "vendor_share", "customer_share"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.kind:
            del self.fields["name"]  # a standard item keeps its (translated) name
        else:
            self.fields["name"].required = True


class ResponsibilityForm(forms.ModelForm):
    class Meta:
        model = ResponsibilityItem
        fields = ["status", "due_date"]
        widgets = {"due_date": DateInput()}


class RiskForm(forms.ModelForm):
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)

    class Meta:
        model = Risk
        fields = ["description", "probability", "impact", "owner", "response", "response_due", "status"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "response": forms.Textarea(attrs={"rows": 3}),
            "response_due": DateInput(),
        }

    def __init__(self, *args: object, people, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people


class StatusReportForm(forms.ModelForm):
    """A draft status report; one percent-complete field per milestone of the project plan."""

    class Meta:
        model = StatusReport
        fields = ["period_start", "period_end", "rag", "progress_summary", "known_risks"]
        widgets = {
            "period_start": DateInput(),
            "period_end": DateInput(),
            "rag": forms.RadioSelect(),
            "progress_summary": forms.Textarea(attrs={"rows": 5}),
            "known_risks": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: object, milestones: list[str], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period_start"].required = True
        self.fields["period_end"].required = True
        known = {row["name"]: row["percent"] for row in (self.instance.milestone_progress or [])}
        self.milestones = list(milestones) or list(known)
        for index, name in enumerate(self.milestones):
            self.fields[f"milestone_{index}"] = forms.IntegerField(
                label=_("%(milestone)s: percent complete") % {"milestone": name},
                min_value=0,
                max_value=100,
                initial=known.get(name, 0),
            )

    def clean(self) -> dict:
        data = super().clean()
        data["milestone_progress"] = [
            {"name": name, "percent": data.pop(f"milestone_{index}")}
            for index, name in enumerate(self.milestones)
            if data.get(f"milestone_{index}") is not None
        ]
        return data


class PhaseAdvanceForm(forms.Form):
    description = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class PhaseReasonForm(forms.Form):
    """A reason is required to force a gate or move back (§1); also used by the admin's buttons."""

    description = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
