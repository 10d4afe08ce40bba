"""Template helpers of the changes pages, and the dashboard card other apps can include."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deadlines.calendar import local_date

from ..enums import ChangeState
from ..selectors import change_cards_waiting_for

register = template.Library()


@register.filter
def due_date(due_at: datetime | None) -> date | None:
    """A deadline ends at 24:00 of its last day: the day to show is the one before that instant."""
    if due_at is None:
        return None
    return local_date(due_at - timedelta(microseconds=1))


@register.simple_tag
def change_state_badge(change) -> SafeString:
    """The letter's state, then "reply overdue" or "replied late" when so: a tag, not an included
    template, because the lists draw it on every row."""
    badge = format_html(
        '<span class="badge change-state change-state-{}">{}</span>', change.state, ChangeState(change.state).label
    )
    if change.is_overdue:
        return format_html('{} <span class="badge text-bg-danger change-overdue">{}</span>', badge, _("Reply overdue"))
    if change.reply_late:
        return format_html('{} <span class="badge text-bg-warning change-late">{}</span>', badge, _("Replied late"))
    return badge


@register.inclusion_tag("changes/includes/waiting.html", takes_context=True)
def changes_waiting_for_me(context: template.Context) -> dict:
    """The dashboard card: ``{% load changes %}{% changes_waiting_for_me %}`` (one query)."""
    user = context["request"].user
    return {"changes": change_cards_waiting_for(user=user), "request": context["request"]}
