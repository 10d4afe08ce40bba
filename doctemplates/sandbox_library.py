"""The tags and filters a customised template may use: Django's built-ins minus the ones that
reach past the document context or switch off escaping (see docs/templates.md).

The restricted engine in doctemplates.sandbox uses this module as its only built-in library.
"""

from __future__ import annotations

from django.template import Library, defaultfilters, defaulttags, loader_tags

# {% debug %} prints the whole context and sys.modules; {% autoescape off %} and |safe / |safeseq
# let content written by users become markup; {% extends %} / {% block %} have no parent to use
# (the page skeleton is ours); {% url %} and {% csrf_token %} mean nothing in a PDF; |pprint
# shows Python reprs.
FORBIDDEN_TAGS = frozenset({"debug", "autoescape", "extends", "block", "url", "csrf_token"})
FORBIDDEN_FILTERS = frozenset({"safe", "safeseq", "pprint"})

register = Library()
for _library in (defaulttags.register, loader_tags.register):
    register.tags.update({name: tag for name, tag in _library.tags.items() if name not in FORBIDDEN_TAGS})
register.filters.update(
    {name: f for name, f in defaultfilters.register.filters.items() if name not in FORBIDDEN_FILTERS}
)
