"""A customised template may add signers after its deliverable type's own (issue item 6): the
version's declared signers are the type's roles followed by the active template's extra roles."""

from __future__ import annotations

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.tests.factories import CustomerUserFactory
from doctemplates.enums import TemplateState
from doctemplates.tests.factories import CustomTemplateFactory
from documents.enums import SignerState, VersionState
from documents.models import DeliverableType
from documents.selectors import version_list_waiting_for_signature, version_signers
from documents.services import SignatureRefused
from documents.signers import declared_signer_roles
from projects.enums import MemberRole
from projects.tests.factories import ProjectMemberFactory
from sealing.tasks import sealed_pdf_render_task

from .test_signers import _acceptance, _name, _sign, project, vendor_lead  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def tech_lead(project):  # noqa: F811 (the fixture above)
    lead = CustomerUserFactory(profile__organization=project.customer)
    ProjectMemberFactory(project=project, user=lead, role=MemberRole.CUSTOMER_TECH_LEAD)
    return lead


@pytest.fixture
def custom_template(project):  # noqa: F811 (the fixture above)
    """The project's own final acceptance template, which adds the customer's technical lead."""
    return CustomTemplateFactory(
        project=project,
        deliverable_type=DeliverableType.objects.get(code="final_acceptance_report"),
        state=TemplateState.ACTIVE,
        extra_signer_roles=["customer_tech_lead"],
    )


def test_declared_signers_are_the_types_then_the_templates(project, vendor_lead, tech_lead, custom_template):  # noqa: F811
    version = _acceptance(project)

    signers = version_signers(version)

    assert declared_signer_roles(version) == ["customer_lead", "vendor_lead", "customer_tech_lead"]
    assert [(s.role, s.person, s.state) for s in signers] == [
        ("customer_lead", project.customer_lead, SignerState.WAITING),
        ("vendor_lead", vendor_lead, SignerState.NOT_YET),
        ("customer_tech_lead", tech_lead, SignerState.NOT_YET),
    ]


def test_without_a_template_only_the_types_signers_sign(project, vendor_lead, tech_lead):  # noqa: F811
    version = _acceptance(project)

    assert declared_signer_roles(version) == ["customer_lead", "vendor_lead"]


def test_a_retired_template_adds_nobody(project, vendor_lead, tech_lead, custom_template):  # noqa: F811
    type(custom_template).objects.filter(pk=custom_template.pk).update(state=TemplateState.RETIRED)
    version = _acceptance(project)

    assert declared_signer_roles(version) == ["customer_lead", "vendor_lead"]


def test_the_tech_lead_cannot_sign_before_the_vendor_lead(project, vendor_lead, tech_lead, custom_template):  # noqa: F811
    version = _acceptance(project)
    _sign(version, project.customer_lead)
    events = version.events.count()

    with pytest.raises(SignatureRefused) as refused:
        _sign(version, tech_lead)

    lead = _name(vendor_lead)
    assert refused.value.messages == [f"还没轮到您：{lead}（交付方项目负责人）需先签署此版本；轮到您时会通知您。"]
    version.refresh_from_db()
    assert (version.state, version.signatures.count(), version.events.count()) == (VersionState.SUBMITTED, 1, events)


def test_the_tech_lead_signs_last_and_the_version_is_confirmed(project, vendor_lead, tech_lead, custom_template):  # noqa: F811
    version = _acceptance(project)
    _sign(version, project.customer_lead)
    assert version_list_waiting_for_signature(user=tech_lead) == []
    _sign(version, vendor_lead)
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED
    assert version_list_waiting_for_signature(user=tech_lead) == [version]

    _sign(version, tech_lead)

    version.refresh_from_db()
    assert version.state == VersionState.CONFIRMED
    assert list(version.signatures.order_by("signed_at", "pk").values_list("role", flat=True)) == [
        "customer_lead",
        "vendor_lead",
        "customer_tech_lead",
    ]


def test_submit_is_refused_when_nobody_holds_the_templates_extra_role(project, vendor_lead, custom_template):  # noqa: F811
    from documents.services import deliverable_get_or_create, version_draft_create, version_submit

    from .test_signers import ACCEPTANCE, META

    deliverable = deliverable_get_or_create(project=project, code="final_acceptance_report")
    draft = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=ACCEPTANCE)

    with pytest.raises(ValidationError) as refused:
        version_submit(version=draft, user=project.vendor_pm, meta=META)

    assert refused.value.messages == ["项目中没有客户方技术负责人来签署此交付物。"]
    draft.refresh_from_db()
    assert (draft.state, draft.signatures.count()) == (VersionState.DRAFT, 0)


def test_version_page_lists_three_signers(client, project, vendor_lead, tech_lead, custom_template):  # noqa: F811
    _acceptance(project)
    client.force_login(project.vendor_pm)

    response = client.get(reverse("documents:version", args=[project.code, "final_acceptance_report", 1]))

    assert response.status_code == 200
    assert [(s.role, s.person) for s in response.context["signers"]] == [
        ("customer_lead", project.customer_lead),
        ("vendor_lead", vendor_lead),
        ("customer_tech_lead", tech_lead),
    ]
    page = response.content.decode()
    assert page.index("客户方项目负责人") < page.index("交付方项目负责人") < page.index("客户方技术负责人")


def test_sealed_pdf_sign_off_lists_all_three(
    certificate,
    project,  # noqa: F811
    vendor_lead,  # noqa: F811
    tech_lead,
    custom_template,
):
    version = _acceptance(project)
    for signer in [project.customer_lead, vendor_lead, tech_lead]:
        _sign(version, signer)

    assert sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk) is True

    version.refresh_from_db()
    text = subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=version.pdf.read(), capture_output=True, check=True
    ).stdout.decode()
    customer = text.index(f"客户方项目负责人：{_name(project.customer_lead)}")
    vendor = text.index(f"交付方项目负责人：{_name(vendor_lead)}")
    tech = text.index(f"客户方技术负责人：{_name(tech_lead)}")
    # The sign-off block is grouped by party: the customer's two signers in order, then the vendor's.
    assert customer < tech < vendor
    assert text.count("签署方式：在线签署") == 3
