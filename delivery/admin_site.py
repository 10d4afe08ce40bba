"""The admin site: people are picked by full name.

Every person picker of the admin (autocomplete fields) lists "full name (username) · organisation"
and finds people by full name, username or e-mail, the exact username or name first; Django's own
would list bare usernames, so "sales" matched "presales" and a Chinese name was not recognisable.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.contrib.auth import get_user_model

from delivery.people import display_name


def person_label(user) -> str:
    name = display_name(user)
    label = f"{name} ({user.get_username()})" if name != user.get_username() else name
    organization = getattr(getattr(user, "profile", None), "organization", None)
    return f"{label} · {organization}" if organization is not None else label


class PeopleAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        if isinstance(obj, get_user_model()):
            result["text"] = person_label(obj)
        return result


class DeliveryAdminSite(admin.AdminSite):
    def autocomplete_view(self, request):
        return PeopleAutocompleteJsonView.as_view(admin_site=self)(request)


class DeliveryAdminConfig(AdminConfig):
    default_site = "delivery.admin_site.DeliveryAdminSite"
