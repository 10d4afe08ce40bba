"""Errors as JSON with the pages' messages: a service's ValidationError becomes 400 with the same
texts the form would show; 404 for anything the user may not see; 403 for an act they may not do."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

NON_FIELD = "non_field_errors"


def validation_error_body(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): [str(m) for e in errors for m in e.messages]
            for field, errors in error.error_dict.items()
        }
    return {NON_FIELD: [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)
