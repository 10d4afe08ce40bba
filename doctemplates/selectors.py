from __future__ import annotations

from django.db.models import F, JSONField, OuterRef, Q, QuerySet, Subquery

from documents.models import DeliverableVersion

from .enums import TemplateState
from .models import CustomTemplate


def template_for_version(version: DeliverableVersion) -> CustomTemplate | None:
    """The active customised template a version's PDF is rendered with, or None for the standard one.

    The project's own template comes first, then its customer organisation's. One query.
    """
    project = version.deliverable.project
    return (
        CustomTemplate.objects.filter(state=TemplateState.ACTIVE, deliverable_type_id=version.deliverable.type_id)
        .filter(Q(project_id=project.pk) | Q(organization_id=project.customer_id))
        .order_by(F("project").asc(nulls_last=True))
        .first()
    )


def extra_signer_roles_subquery() -> Subquery:
    """For a DeliverableVersion queryset: the extra signer roles of the row's active customised
    template (the same choice as ``template_for_version``), None without one."""
    return Subquery(
        CustomTemplate.objects.filter(state=TemplateState.ACTIVE, deliverable_type_id=OuterRef("deliverable__type_id"))
        .filter(
            Q(project_id=OuterRef("deliverable__project_id"))
            | Q(organization_id=OuterRef("deliverable__project__customer_id"))
        )
        .order_by(F("project").asc(nulls_last=True))
        .values("extra_signer_roles")[:1],
        output_field=JSONField(),
    )


def template_preview_versions(template: CustomTemplate) -> QuerySet[DeliverableVersion]:
    """The deliverable versions a template can be previewed with: its type, in its scope."""
    scope = (
        Q(deliverable__project=template.project_id)
        if template.project_id
        else Q(deliverable__project__customer=template.organization_id)
    )
    return (
        DeliverableVersion.objects.filter(scope, deliverable__type=template.deliverable_type_id)
        .select_related("deliverable__project", "deliverable__type")
        .order_by("deliverable__project__code", "-number")
    )


def template_versions_in_scope(template: CustomTemplate) -> QuerySet[CustomTemplate]:
    """Every uploaded version of the template's scope and type, newest first."""
    return CustomTemplate.objects.filter(
        deliverable_type=template.deliverable_type_id,
        organization=template.organization_id,
        project=template.project_id,
    ).order_by("-number")
