"""Validation and layout only: the views hand ``cleaned_data`` to a service, never ``form.save()``.

Forms that share a page carry a prefix, so their fields and element ids never collide.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from delivery.people import display_name
from delivery.validators import validate_upload

from .enums import (
    TITLE_NO_PROJECT,
    TITLE_PREFIX,
    DeviationKind,
    DeviationResult,
    ProposalTier,
    RequestState,
    SupportMode,
    SupportRoleKind,
)
from .models import SupportRequest
from .selectors import customer_choices, customer_contact_choices, project_choices, user_list_with_roles
from .titles import TitleParts, title_problems

User = get_user_model()

TITLE_HELP = _(
    "Built from the fields: %(prefix)s--<customer>--<project, or %(no_project)s>--<sales name>--<date>. "
    "A title that does not follow this format is refused."
) % {"prefix": TITLE_PREFIX, "no_project": TITLE_NO_PROJECT}


def _textarea(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: object) -> str:
        name = display_name(user)
        organization = getattr(getattr(user, "profile", None), "organization", None)
        return f"{name} · {organization}" if organization is not None else name


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, project: object) -> str:
        return f"{project.code} {project.name} · {project.customer}"


def _customer_contacts():
    return (
        User.objects.filter(is_active=True, profile__organization__kind="customer")
        .select_related("profile__organization")
        .order_by("profile__organization__name", "first_name", "username")
    )


class _CustomerPartsMixin:
    """The project must be the customer's; the contact must be one of the customer's people."""

    def _check_customer_parts(self, cleaned: dict) -> None:
        customer, project = cleaned.get("customer"), cleaned.get("project")
        contact = cleaned.get("customer_contact")
        if customer is None:
            return
        if project is not None and project.customer_id != customer.pk:
            self.add_error("project", _("This project belongs to another customer."))
        if contact is not None and getattr(contact.profile, "organization_id", None) != customer.pk:
            self.add_error("customer_contact", _("The customer contact must be a person of the customer organisation."))


class SupportRequestForm(_CustomerPartsMixin, forms.Form):
    """§6: a sales person files a request; the title is built from the fields and checked."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=customer_choices())
    project = ProjectChoiceField(
        label=_("Project"),
        queryset=project_choices(),
        required=False,
        empty_label=_("None: non-project support"),
    )
    customer_contact = PersonChoiceField(
        label=_("Customer contact"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The customer's person who signs the support service form online."),
    )
    mode = forms.ChoiceField(label=_("Support mode"), choices=SupportMode.choices)
    description = forms.CharField(label=_("What is needed"), widget=_textarea(4), max_length=5000)
    title = forms.CharField(label=_("Title"), max_length=300, required=False, help_text=TITLE_HELP)

    def __init__(self, *args, sales, today: datetime.date | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sales = sales
        self.today = today or timezone.localdate()
        self.fields["customer_contact"].queryset = _customer_contacts()
        self.fields["title"].widget.attrs.update({"data-support-title": "1", "autocomplete": "off"})

    def title_data(self) -> dict:
        """What the title script needs to build the title in the browser as fields change."""
        return {
            "prefix": TITLE_PREFIX,
            "no_project": TITLE_NO_PROJECT,
            "sales": display_name(self.sales),
            "date": self.today.isoformat(),
            "customers": {str(c.pk): (c.short_name or c.name) for c in self.fields["customer"].queryset},
            "projects": {str(p.pk): p.name for p in self.fields["project"].queryset},
        }

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_customer_parts(cleaned)
        customer = cleaned.get("customer")
        if customer is not None and not self.has_error("project"):
            expected = TitleParts.build(
                customer=customer, project=cleaned.get("project"), sales=self.sales, day=self.today
            )
            title = cleaned.get("title") or expected.title
            for problem in title_problems(title, expected=expected):
                self.add_error("title", problem)
            cleaned["title"] = title
        return cleaned


class EmergencyForm(_CustomerPartsMixin, forms.Form):
    """§6: emergency work starts on the technical director's approval, recorded here."""

    customer = forms.ModelChoiceField(label=_("Customer"), queryset=customer_choices())
    project = ProjectChoiceField(
        label=_("Project"), queryset=project_choices(), required=False, empty_label=_("None: non-project support")
    )
    sales = PersonChoiceField(
        label=_("Sales"), queryset=User.objects.none(), help_text=_("Files the formal request afterwards.")
    )
    engineer = PersonChoiceField(label=_("Engineer"), queryset=User.objects.none())
    customer_contact = PersonChoiceField(label=_("Customer contact"), queryset=User.objects.none(), required=False)
    mode = forms.ChoiceField(label=_("Support mode"), choices=SupportMode.choices)
    description = forms.CharField(label=_("What is needed"), widget=_textarea(4), max_length=5000)
    reason = forms.CharField(label=_("Why it cannot wait"), widget=_textarea(3), max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sales"].queryset = user_list_with_roles(SupportRoleKind.SALES)
        self.fields["engineer"].queryset = user_list_with_roles(SupportRoleKind.ENGINEER)
        self.fields["customer_contact"].queryset = _customer_contacts()

    def clean(self) -> dict:
        cleaned = super().clean()
        self._check_customer_parts(cleaned)
        return cleaned


class FormalFilingForm(forms.Form):
    """The formal request after emergency work: customer and project are the approved ones."""

    customer_contact = PersonChoiceField(label=_("Customer contact"), queryset=User.objects.none(), required=False)
    mode = forms.ChoiceField(label=_("Support mode"), choices=SupportMode.choices)
    description = forms.CharField(label=_("What is needed"), widget=_textarea(4), max_length=5000)
    title = forms.CharField(label=_("Title"), max_length=300, required=False, help_text=TITLE_HELP)

    def __init__(self, *args, support_request, sales, today: datetime.date | None = None, **kwargs) -> None:
        kwargs.setdefault(
            "initial",
            {
                "customer_contact": support_request.customer_contact_id,
                "mode": support_request.mode,
                "description": support_request.description,
            },
        )
        super().__init__(*args, **kwargs)
        self.support_request = support_request
        self.expected = TitleParts.build(
            customer=support_request.customer,
            project=support_request.project,
            sales=sales,
            day=today or timezone.localdate(),
        )
        self.fields["customer_contact"].queryset = customer_contact_choices(customer_id=support_request.customer_id)
        self.fields["title"].initial = self.expected.title

    def clean_title(self) -> str:
        title = self.cleaned_data["title"] or self.expected.title
        problems = title_problems(title, expected=self.expected)
        if problems:
            raise forms.ValidationError(problems)
        return title


class AcceptForm(forms.Form):
    prefix = "accept"

    engineer = PersonChoiceField(
        label=_("Engineer"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("The technical director may assign an engineer; an engineer takes it on themselves."),
    )
    note = forms.CharField(label=_("First response"), widget=_textarea(2), max_length=2000, required=False)

    def __init__(self, *args, can_assign: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if can_assign:
            self.fields["engineer"].queryset = user_list_with_roles(SupportRoleKind.ENGINEER)
        else:
            del self.fields["engineer"]


class BriefingForm(forms.Form):
    prefix = "briefing"

    customer_situation = forms.CharField(label=_("Customer situation"), widget=_textarea(3), max_length=5000)
    preparation = forms.CharField(label=_("Preparation"), widget=_textarea(3), max_length=5000)
    cautions = forms.CharField(label=_("Cautions"), widget=_textarea(3), max_length=5000)


class PlanningDocumentForm(forms.Form):
    """One textarea per template section, plus the finished document as a file if there is one."""

    file = forms.FileField(
        label=_("Finished document (optional)"),
        required=False,
        help_text=_("Attach the finished document instead of, or besides, the sections. At most 20 MB."),
    )

    def __init__(self, *args, sections: list[dict], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sections = sections
        for section in sections:
            self.fields[f"section_{section['key']}"] = forms.CharField(
                label=section["title"], widget=_textarea(4), max_length=10000, required=False, initial=section["text"]
            )
        self.order_fields([f"section_{s['key']}" for s in sections] + ["file"])

    def clean_file(self):
        file = self.cleaned_data.get("file")
        if file:
            validate_upload(file)
        return file

    def texts(self) -> dict[str, str]:
        return {s["key"]: self.cleaned_data.get(f"section_{s['key']}", "") for s in self.sections}


class DeviationForm(forms.Form):
    prefix = "deviation"

    kind = forms.ChoiceField(label=_("About"), choices=DeviationKind.choices)
    description = forms.CharField(label=_("Description"), widget=_textarea(3), max_length=5000)


class DeviationResultForm(forms.Form):
    """§6: sales records what was agreed about a deviation (it goes to the technical director)."""

    prefix = "devresult"

    deviation = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("Agreed result"), choices=DeviationResult.choices, widget=forms.RadioSelect)
    note = forms.CharField(label=_("What was agreed"), widget=_textarea(2), max_length=5000)

    def __init__(self, *args, deviations: QuerySet | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.deviations = deviations

    def service_kwargs(self) -> dict:
        """The deviation is looked up among the request's own: another request's number is a 404."""
        data = self.cleaned_data
        deviation = get_object_or_404(self.deviations, pk=data["deviation"])
        return {"deviation": deviation, "result": data["result"], "note": data["note"]}


class ProposalTierForm(forms.Form):
    prefix = "proposal"

    tier = forms.TypedChoiceField(
        label=_("Proposal completion agreed"),
        coerce=int,
        choices=ProposalTier.choices,
        help_text=_(
            "“方案完成时间商定”: counted from the request's time, the request's own day being the 1st working day."
        ),
    )


class OutcomeForm(forms.Form):
    prefix = "outcome"

    outcome = forms.CharField(label=_("Outcome"), widget=_textarea(4), max_length=10000)


class NoteForm(forms.Form):
    prefix = "note"

    text = forms.CharField(label=_("Internal note"), widget=_textarea(2), max_length=5000)


class ServiceFormSendForm(forms.Form):
    prefix = "serviceform"

    work_summary = forms.CharField(label=_("Work done"), widget=_textarea(4), max_length=10000)
    hours = forms.DecimalField(
        label=_("Hours worked"), min_value=Decimal("0"), max_digits=6, decimal_places=1, initial=Decimal("0")
    )


class PaperFormForm(forms.Form):
    prefix = "paper"

    scan = forms.FileField(label=_("Scan of the signed paper form"), help_text=_("PDF or image, at most 20 MB."))

    def clean_scan(self):
        file = self.cleaned_data["scan"]
        validate_upload(file, allowed_extensions=["pdf", "png", "jpg", "jpeg"])
        return file


class SignForm(forms.Form):
    """Signing needs the typed full name, explicit consent and the password again (SPEC §3)."""

    typed_name = forms.CharField(label=_("Your full name"), max_length=100)
    consent = forms.BooleanField(label=_("I have read this document and sign it."), required=False)
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password again to confirm it is you."),
    )


class DisputeForm(forms.Form):
    prefix = "dispute"

    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("What is not complete"), widget=_textarea(3), max_length=5000)


class CloseForm(forms.Form):
    prefix = "close"

    form_checked = forms.BooleanField(
        label=_("I checked the work against the signed support service form."), required=False
    )
    note = forms.CharField(label=_("Closing note"), widget=_textarea(2), max_length=2000, required=False)


class CancelForm(forms.Form):
    prefix = "cancel"

    reason = forms.CharField(label=_("Reason for cancelling"), widget=_textarea(2), max_length=2000)


class EffortForm(forms.Form):
    prefix = "effort"

    engineer = PersonChoiceField(label=_("Engineer"), queryset=User.objects.none())
    estimated_hours = forms.DecimalField(
        label=_("Estimated hours"), min_value=Decimal("0"), max_digits=7, decimal_places=1
    )
    accounted_hours = forms.DecimalField(
        label=_("Accounted hours"),
        min_value=Decimal("0"),
        max_digits=7,
        decimal_places=1,
        required=False,
        help_text=_("From the signed weekly reports; leave empty until accounted."),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["engineer"].queryset = user_list_with_roles(SupportRoleKind.ENGINEER)


class EscalationForm(forms.Form):
    prefix = "escalation"

    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=_textarea(3), max_length=5000)


class ResolveForm(forms.Form):
    prefix = "resolve"

    resolution = forms.CharField(label=_("Resolution"), widget=_textarea(2), max_length=5000)


class RequestFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("State"), choices=[("", _("All states")), *RequestState.choices], required=False)
    mine = forms.BooleanField(label=_("Only mine"), required=False)


# --- weekly reports and effort ----------------------------------------------------------------
class WeeklyReportForm(forms.Form):
    week_start = forms.DateField(
        label=_("A day in the week"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The report covers the week (Monday to Sunday) of this day."),
    )
    summary = forms.CharField(label=_("Summary"), widget=_textarea(2), max_length=5000, required=False)


class RequestChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, request: object) -> str:
        return f"{request.reference} {request.title or request.customer}"


class ReportEntryForm(forms.Form):
    prefix = "entry"

    work_date = forms.DateField(
        label=_("Day"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the work was done: effort counts in that day's month."),
    )
    support_request = RequestChoiceField(label=_("Support request"), queryset=SupportRequest.objects.none())
    work_done = forms.CharField(label=_("Work done"), widget=_textarea(2), max_length=5000)
    hours = forms.DecimalField(
        label=_("Hours"), min_value=Decimal("0.5"), max_value=Decimal("168"), max_digits=5, decimal_places=1
    )

    def __init__(self, *args, requests, week_start=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["support_request"].queryset = requests
        if week_start is not None:
            self.fields["work_date"].initial = week_start
            self.fields["work_date"].widget.attrs.update(
                {"min": week_start.isoformat(), "max": (week_start + datetime.timedelta(days=6)).isoformat()}
            )


class ReportSubmitForm(forms.Form):
    prefix = "submit"

    signer = forms.TypedChoiceField(label=_("To be signed by"), coerce=int, choices=())

    def __init__(self, *args, signers: list, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.signers = {person.pk: person for person in signers}
        self.fields["signer"].choices = [
            (person.pk, PersonChoiceField(queryset=User.objects.none()).label_from_instance(person))
            for person in signers
        ]

    def clean_signer(self):
        return self.signers[self.cleaned_data["signer"]]


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        error_messages={"invalid": _("Write the month as YYYY-MM, e.g. 2026-10.")},
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def year_month(self) -> tuple[int, int]:
        year, month = self.cleaned_data["month"].split("-")
        return int(year), int(month)


# --- roles ----------------------------------------------------------------------------------------
class SupportRolesForm(forms.Form):
    """All of one person's support roles, ticked at once."""

    roles = forms.MultipleChoiceField(
        label=_("Support roles"),
        choices=SupportRoleKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Untick a role to take it away. Notifications and permissions follow at once."),
    )
