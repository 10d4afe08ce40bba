"""Filters for sealed PDFs: times that say which clock they are on, and the organisation's seal."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from ..seal import seal_data_uri

register = template.Library()


@register.filter
def beijing_time(value: datetime | None, seconds: bool = False) -> str:
    """ "2026-12-02 17:55 北京时间": China Standard Time spelled out, never the ambiguous "CST"."""
    if not value:
        return ""
    local = timezone.localtime(value, timezone.get_fixed_timezone(8 * 60))
    clock = _("Beijing time (UTC+08:00)")
    return f"{dateformat.format(local, 'Y-m-d H:i:s' if seconds else 'Y-m-d H:i')} {clock}"


@register.simple_tag
def seal_image(organization: str, purpose: str) -> str:
    return seal_data_uri(organization=organization, purpose=purpose)
