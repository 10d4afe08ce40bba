"""One shape for every POST action view: the view checks access, then ``action_run`` calls one service.

A button (no form)::

    change = selectors.change_get_for_user(user=request.user, code=code, number=number)
    return action_run(
        request, services.change_agree, change=change, user=request.user, meta=RequestMeta.from_request(request),
        success=_("Both sides agree."), done=_detail(change),
    )

The service's refusal (``ValidationError``) becomes one error message per line and the user goes to
``refused`` (default ``done``); on success a success message and ``done``.

With a form, pass ``form=`` and ``failed=``: an invalid form, or the service's refusal put onto the
form, renders ``failed(form)`` (the page again, with the errors where they belong). The form's
cleaned data is passed to the service as keyword arguments, through ``form.service_kwargs()`` when
the form's fields are not named like the service's parameters.

``success`` and ``done`` may be callables of the service's result (the new object's number, its page).
Other refusals (a phase gate, a concurrent change) are named in ``refusals``: exception type → message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse

from .forms import form_add_service_error

Result = Callable[[Any], Any]


def messages_from_error(request: HttpRequest, error: ValidationError) -> None:
    """A refusal of a button action: each of its messages as an error message on the next page."""
    for message in error.messages:
        messages.error(request, message)


def _form_kwargs(form: Form) -> dict:
    service_kwargs = getattr(form, "service_kwargs", None)
    return service_kwargs() if service_kwargs is not None else dict(form.cleaned_data)


def _value(value: Any, result: Any) -> Any:
    return value(result) if callable(value) else value


def action_run(
    request: HttpRequest,
    service: Callable[..., Any],
    *,
    success: str | Result,
    done: HttpResponse | Result,
    refused: HttpResponse | None = None,
    form: Form | None = None,
    failed: Callable[[Form], HttpResponse] | None = None,
    refusals: Mapping[type[Exception], Callable[[Exception], str]] | None = None,
    **kwargs: Any,
) -> HttpResponse:
    """Run one POST action (see the module docstring); access is checked by the caller first."""
    if form is not None:
        if not form.is_valid():
            return failed(form)
        kwargs.update(_form_kwargs(form))
    try:
        result = service(**kwargs)
    except ValidationError as error:
        if form is not None:
            form_add_service_error(form, error)
            return failed(form)
        messages_from_error(request, error)
        return refused if refused is not None else _value(done, None)
    except tuple(refusals or ()) as error:
        message = next(describe for kind, describe in refusals.items() if isinstance(error, kind))(error)
        messages.error(request, message)
        return refused if refused is not None else _value(done, None)
    messages.success(request, _value(success, result))
    return _value(done, result)
