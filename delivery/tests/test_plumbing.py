"""The shared plumbing every app uses: a person's name, a service's refusal on a form, an action view."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory

from accounts.tests.factories import UserFactory
from delivery.actions import action_run
from delivery.forms import form_add_service_error
from delivery.people import display_name

pytestmark = pytest.mark.django_db


class _NoteForm(forms.Form):
    note = forms.CharField()


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _messages(request) -> list[tuple[str, str]]:
    return [(m.level_tag, str(m)) for m in get_messages(request)]


def test_display_name_is_the_full_name_else_the_user_name():
    assert display_name(UserFactory(username="wang", first_name="王", last_name="工")) == "王 工"
    assert display_name(UserFactory(username="li", first_name="", last_name="")) == "li"
    assert display_name(None) == ""


def test_display_name_filter_is_builtin_in_templates():
    user = UserFactory(username="li", first_name="", last_name="")
    assert Template("{{ user|display_name }}").render(Context({"user": user})) == "li"


def test_service_error_lands_on_its_field_or_on_top():
    form = _NoteForm({"note": "x"})
    assert form.is_valid()
    form_add_service_error(form, ValidationError({"note": "Too short.", "other": "Not a field."}))
    assert form.errors == {"note": ["Too short."], "__all__": ["Not a field."]}
    form = _NoteForm({"note": "x"})
    assert form.is_valid()
    form_add_service_error(form, ValidationError("Refused."))
    assert form.errors == {"__all__": ["Refused."]}


def test_button_action_success_and_refusal():
    request = _request()
    done = HttpResponse("done")
    assert action_run(request, lambda **kw: kw["n"], n=1, success="Done.", done=done) is done
    assert _messages(request) == [("success", "Done.")]

    def refuse(**kwargs):
        raise ValidationError(["First.", "Second."])

    refused = HttpResponse("back")
    request = _request()
    assert action_run(request, refuse, success="Done.", done=done, refused=refused) is refused
    assert _messages(request) == [("error", "First."), ("error", "Second.")]


def test_form_action_passes_cleaned_data_and_puts_refusals_on_the_form():
    request = _request()
    calls = []

    def service(**kwargs):
        calls.append(kwargs)
        if kwargs["note"] == "no":
            raise ValidationError({"note": "Not this one."})
        return 7

    failed = lambda form: HttpResponse(str(form.errors["note"][0]), status=400)  # noqa: E731
    response = action_run(
        request,
        service,
        user="u",
        form=_NoteForm({"note": "yes"}),
        failed=failed,
        success=lambda number: f"#{number}",
        done=lambda number: HttpResponse(str(number)),
    )
    assert (response.content, calls, _messages(request)) == (b"7", [{"user": "u", "note": "yes"}], [("success", "#7")])
    request = _request()
    response = action_run(request, service, form=_NoteForm({"note": "no"}), failed=failed, success="", done=None)
    assert (response.status_code, response.content, _messages(request)) == (400, b"Not this one.", [])
    response = action_run(request, service, form=_NoteForm({}), failed=failed, success="", done=None)
    assert (response.status_code, len(calls)) == (400, 2)
