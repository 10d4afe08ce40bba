"""Which template a version's PDF uses: project's > customer organisation's > standard."""

from __future__ import annotations

import pytest

from doctemplates.enums import TemplateState
from doctemplates.selectors import template_for_version, template_preview_versions
from documents.models import DeliverableType
from documents.tests.factories import DeliverableFactory, VersionFactory
from projects.tests.factories import ProjectFactory

from .factories import CustomTemplateFactory

pytestmark = pytest.mark.django_db


def test_no_custom_template_means_the_standard_one(version):
    assert template_for_version(version) is None


def test_organisation_template_applies_to_its_projects(version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer, state=TemplateState.ACTIVE)

    assert template_for_version(version) == template


def test_project_template_beats_the_organisation_template(version, django_assert_num_queries):
    project = version.deliverable.project
    CustomTemplateFactory(organization=project.customer, state=TemplateState.ACTIVE)
    own = CustomTemplateFactory(project=project, state=TemplateState.ACTIVE)

    with django_assert_num_queries(1):
        assert template_for_version(version) == own


@pytest.mark.parametrize("state", [TemplateState.DRAFT, TemplateState.RETIRED])
def test_drafts_and_retired_templates_are_not_used(version, state):
    CustomTemplateFactory(project=version.deliverable.project, state=state)

    assert template_for_version(version) is None


def test_another_customer_or_type_does_not_count(version):
    CustomTemplateFactory(organization=ProjectFactory().customer, state=TemplateState.ACTIVE)
    CustomTemplateFactory(
        project=version.deliverable.project,
        deliverable_type=DeliverableType.objects.get(code="project_plan"),
        state=TemplateState.ACTIVE,
    )

    assert template_for_version(version) is None


def test_preview_versions_are_the_type_in_scope(version):
    project = version.deliverable.project
    same_customer = VersionFactory(deliverable=DeliverableFactory(project=ProjectFactory(customer=project.customer)))
    VersionFactory()  # another customer
    VersionFactory(
        deliverable=DeliverableFactory(project=project, type=DeliverableType.objects.get(code="project_plan"))
    )

    by_organisation = CustomTemplateFactory(organization=project.customer)
    by_project = CustomTemplateFactory(project=project)

    assert set(template_preview_versions(by_organisation)) == {version, same_customer}
    assert list(template_preview_versions(by_project)) == [version]
