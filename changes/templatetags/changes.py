"""Template helpers of the changes pages, and the dashboard card other apps can include."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import template

from deadlines.calendar import local_date

from ..selectors import change_cards_waiting_for

register = template.Library()


@register.filter
def due_date(due_at: datetime | None) -> date | None:
    """A deadline ends at 24:00 of its last day: the day to show is the one before that instant."""
    if due_at is None:
        return None
    return local_date(due_at - timedelta(microseconds=1))


@register.inclusion_tag("changes/includes/waiting.html", takes_context=True)
def changes_waiting_for_me(context: template.Context) -> dict:
    """The dashboard card: ``{% load changes %}{% changes_waiting_for_me %}`` (one query)."""
    user = context["request"].user
    return {"changes": change_cards_waiting_for(user=user), "request": context["request"]}
