from __future__ import annotations

from django import template
from django.db.models import Q

from documents.enums import ACCEPTED_STATES, DeliverableCode, VersionState
from documents.hooks import waiting_items_for
from documents.models import DeliverableVersion
from documents.permissions import user_can_sign_version
from documents.selectors import version_cards_waiting_for_signature
from projects.permissions import project_standing

register = template.Library()


@register.inclusion_tag("documents/_project_alerts.html", takes_context=True)
def project_deliverable_alerts(context, project) -> dict:
    """On the project page: what waits for this user's signature, and the §2 password reminder.

    One query: submitted versions, and accepted implementation reports whose initial passwords
    the customer has not yet confirmed as changed.
    """
    user = context["request"].user
    versions = list(
        DeliverableVersion.objects.filter(deliverable__project=project)
        .filter(
            Q(state=VersionState.SUBMITTED)
            | Q(
                deliverable__type__code=DeliverableCode.IMPLEMENTATION_REPORT,
                state__in=ACCEPTED_STATES,
                passwords_changed_at__isnull=True,
            )
        )
        .select_related("deliverable__type")
        .prefetch_related("signatures")
    )
    for version in versions:
        version.deliverable.project = project
    waiting = [v for v in versions if user_can_sign_version(v, user)]
    passwords = [v for v in versions if v.state in ACCEPTED_STATES]
    return {
        "project": project,
        "waiting": waiting,
        "passwords": passwords,
        "is_lead": project_standing(project, user).is_customer_lead,
    }


@register.inclusion_tag("documents/_waiting_card.html", takes_context=True)
def documents_waiting_card(context) -> dict:
    """The dashboard's "waiting for my signature" card (one query)."""

    user = context["request"].user
    return {
        "versions": version_cards_waiting_for_signature(user=user, limit=10),
        "others": waiting_items_for(user)[:10],
    }
