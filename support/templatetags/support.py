"""Template helpers of the support pages, and the dashboard card other apps include."""

from __future__ import annotations

from django import template

from ..selectors import sales_waiting_for
from ..services import user_can_grant_roles

register = template.Library()


@register.simple_tag(takes_context=True)
def support_can_grant_roles(context: template.Context) -> bool:
    request = context.get("request")
    return bool(request is not None and user_can_grant_roles(request.user))


@register.inclusion_tag("support/includes/sales_waiting.html", takes_context=True)
def support_waiting_for_sales(context: template.Context) -> dict:
    """The dashboard card: ``{% load support %}{% support_waiting_for_sales %}`` (at most four queries)."""
    return {"waiting": sales_waiting_for(user=context["request"].user)}
