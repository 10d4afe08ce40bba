from django import template

from ..selectors import feed_for_user
from ..services import feed_url

register = template.Library()


@register.inclusion_tag("feeds/_subscribe_card.html", takes_context=True)
def feeds_subscribe_card(context) -> dict:
    """The dashboard's subscribe link (the feed is made on the profile page, where it can be renewed)."""
    request = context["request"]
    feed = feed_for_user(user=request.user)
    return {"feed_url": request.build_absolute_uri(feed_url(feed)) if feed else ""}
