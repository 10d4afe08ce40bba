"""Badges and marks of the project pages (``{% load projects_tags %}``).

Simple tags rather than included templates: the project list draws them on each of its rows,
and an ``{% include %}`` per badge cost more than the rest of the row.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..enums import Phase, Share

register = template.Library()

NOT_INVOLVED = mark_safe('<span class="text-body-tertiary">—</span>')


@register.simple_tag
def phase_badge(phase: str) -> SafeString:
    """The phase as a coloured badge: grey when closed, light blue in initiation, blue otherwise."""
    colour = {Phase.CLOSED: "secondary", Phase.INITIATION: "info"}.get(phase, "primary")
    return format_html('<span class="badge text-bg-{}">{}</span>', colour, Phase(phase).label)


@register.simple_tag
def closed_with(*, open_risks: int, unfinished_items: int) -> str:
    """What a closed project was closed with: its open risks and unfinished checklist items."""
    parts = []
    if open_risks:
        parts.append(_("%(count)s open risks") % {"count": open_risks})
    if unfinished_items:
        parts.append(_("%(count)s unfinished checklist items") % {"count": unfinished_items})
    return f"{_('Closed with')} {', '.join(parts)}"


@register.simple_tag
def project_health(project) -> SafeString:
    """A project's health from its annotations (projects.selectors.project_list_with_health): a
    closed project with what it was closed with, else its overdue items and open risks, else on track."""
    if project.phase == Phase.CLOSED:
        badge = format_html('<span class="badge text-bg-secondary project-closed">{}</span>', _("Closed"))
        if not (project.open_risk_count or project.unfinished_count):
            return badge
        left = closed_with(open_risks=project.open_risk_count, unfinished_items=project.unfinished_count)
        return format_html('{} <span class="small text-body-secondary project-closed-with">{}</span>', badge, left)
    badges = []
    if project.overdue_count:
        badges.append(("danger", _("Overdue: %(count)s") % {"count": project.overdue_count}))
    if project.open_risk_count:
        badges.append(("warning", _("Open risks: %(count)s") % {"count": project.open_risk_count}))
    if not badges:
        return format_html('<span class="badge text-bg-success">{}</span>', _("On track"))
    return format_html_join("\n", '<span class="badge text-bg-{}">{}</span>', badges)


@register.simple_tag
def share_mark(share: str) -> SafeString:
    """A side's part in a work item: √√ responsible, √ assisting, a dash when not involved."""
    if share == Share.RESPONSIBLE:
        return format_html('<span class="share-mark is-responsible" title="{}">√√</span>', Share(share).label)
    if share == Share.ASSISTING:
        return format_html('<span class="share-mark is-assisting" title="{}">√</span>', Share(share).label)
    return NOT_INVOLVED
