"""What every app's forms share."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.forms import Form


def form_add_service_error(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has one, else on top."""
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)
