from __future__ import annotations

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.translation import gettext_lazy as _

from .enums import StepUpMethod, StepUpPurpose
from .stepup import Origin, StepUpRefused, stepup_method_for, stepup_verify


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


class StepUpPasswordChangeForm(PasswordChangeForm):
    """The old password is a password re-entry like any other: wrong ones count to the step-up lock."""

    def __init__(self, user, *args, request=None, **kwargs) -> None:
        super().__init__(user, *args, **kwargs)
        self.request = request

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        try:
            stepup_verify(
                user=self.user,
                purpose=StepUpPurpose.PASSWORD_CHANGE,
                answer=old_password,
                origin=Origin.from_request(self.request) if self.request is not None else None,
                method=StepUpMethod.PASSWORD,
            )
        except StepUpRefused as refused:
            if refused.code == "locked":
                raise forms.ValidationError(refused.messages, code="locked") from None
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect") from None
        return old_password
