"""The vendor's project lead named on the project (signs the final acceptance for the vendor)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import VendorUserFactory, make_vendor_manager
from projects.models import Project

from .factories import ProjectFactory

pytestmark = pytest.mark.django_db


def _edit_form(project: Project, **overrides: object) -> dict:
    data = {
        "name": project.name,
        "customer": project.customer_id,
        "contract_number": project.contract_number,
        "contract_date": project.contract_date.isoformat(),
        "services": project.services,
        "golive_applies": "on",
        "golive_basis": project.golive_basis,
        "planned_start": project.planned_start.isoformat(),
        "planned_end": project.planned_end.isoformat(),
        "vendor_pm": project.vendor_pm_id,
        "customer_lead": project.customer_lead_id,
        "contact_directory_required": "on",
    }
    data.update(overrides)
    return data


def test_the_vendor_lead_defaults_to_the_pm():
    project = ProjectFactory()

    assert (project.vendor_lead_id, project.vendor_signer) == (None, project.vendor_pm)


def test_edit_page_names_a_vendor_manager_as_the_vendor_lead(client):
    project = ProjectFactory()
    manager = VendorUserFactory()
    make_vendor_manager(manager)
    client.force_login(project.vendor_pm)

    page = client.get(reverse("projects:edit", args=[project.code]))
    assert 'name="vendor_lead"' in page.content.decode()

    response = client.post(reverse("projects:edit", args=[project.code]), _edit_form(project, vendor_lead=manager.pk))

    assert response.status_code == 302
    project.refresh_from_db()
    assert (project.vendor_lead, project.vendor_signer) == (manager, manager)


def test_edit_page_refuses_a_vendor_lead_who_is_not_a_manager(client):
    project = ProjectFactory()
    engineer = VendorUserFactory()
    client.force_login(project.vendor_pm)

    response = client.post(reverse("projects:edit", args=[project.code]), _edit_form(project, vendor_lead=engineer.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["vendor_lead"] == ["交付方项目负责人必须是项目经理或交付方经理。"]
    project.refresh_from_db()
    assert project.vendor_lead_id is None


def test_edit_page_refuses_a_customer_as_the_vendor_lead(client):
    project = ProjectFactory()
    client.force_login(project.vendor_pm)

    response = client.post(
        reverse("projects:edit", args=[project.code]), _edit_form(project, vendor_lead=project.customer_lead_id)
    )

    assert response.status_code == 200
    assert response.context["form"].errors["vendor_lead"] == ["选择一个有效的选项： 该选择不在可用的选项中。"]
    project.refresh_from_db()
    assert project.vendor_lead_id is None


def test_the_customer_cannot_name_the_vendor_lead_and_another_projects_pm_gets_404(client):
    project = ProjectFactory()
    manager = VendorUserFactory()
    make_vendor_manager(manager)
    url = reverse("projects:edit", args=[project.code])

    client.force_login(project.customer_lead)
    assert client.post(url, _edit_form(project, vendor_lead=manager.pk)).status_code == 403
    client.force_login(ProjectFactory().vendor_pm)
    assert client.post(url, _edit_form(project, vendor_lead=manager.pk)).status_code == 404

    project.refresh_from_db()
    assert project.vendor_lead_id is None
