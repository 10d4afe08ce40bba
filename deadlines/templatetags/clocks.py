"""Pages name a clock's length from the one table: ``{% clock_days "change_reply" as days %}``."""

from __future__ import annotations

from django import template

from deadlines.clocks import clock_length

register = template.Library()


@register.simple_tag
def clock_days(code: str) -> int | None:
    return clock_length(code)
