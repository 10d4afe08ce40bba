from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .enums import StepUpMethod
from .stepup import stepup_method_for


def stepup_field(*, user) -> forms.CharField:
    """The field a step-up asks for: the password, or the e-mailed code where the organisation chose it."""
    if stepup_method_for(user) == StepUpMethod.EMAIL_CODE:
        return forms.CharField(
            label=_("One-time code"),
            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
            help_text=_("The 6-digit code from your e-mail: request one below; it is valid for 10 minutes."),
        )
    return forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Enter your password again to confirm it is you."),
    )


def stepup_field_for_user(form: forms.Form, *, user, name: str = "password") -> None:
    """Swap a signing form's password field for the user's step-up field (same name, same value)."""
    form.fields[name] = stepup_field(user=user)


class StepUpForm(forms.Form):
    """Confirm it is you before a stored password is shown (SPEC §2, §3)."""

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"] = stepup_field(user=user)
