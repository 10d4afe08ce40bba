"""``{{ user|display_name }}`` in every template (a builtin: see TEMPLATES in settings)."""

from __future__ import annotations

from django import template

from delivery.people import display_name as _display_name

register = template.Library()


@register.filter
def display_name(user) -> str:
    """The same name delivery.people.display_name gives, for templates."""
    return _display_name(user)
