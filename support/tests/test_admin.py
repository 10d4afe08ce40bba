"""Support roles are data managed in the admin; the workflow records are shown read-only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory, CustomerUserFactory, VendorUserFactory
from support.enums import SupportRoleKind
from support.models import SupportRole

from . import flows

pytestmark = pytest.mark.django_db


def test_admin_assigns_a_support_role(client):
    client.force_login(AdminUserFactory())
    engineer = VendorUserFactory()

    response = client.post(
        reverse("admin:support_supportrole_add"), {"user": engineer.pk, "role": SupportRoleKind.ENGINEER}
    )

    assert response.status_code == 302
    assert list(SupportRole.objects.values_list("user", "role")) == [(engineer.pk, SupportRoleKind.ENGINEER)]


def test_admin_cannot_give_a_customer_a_support_role(client):
    client.force_login(AdminUserFactory())
    customer = CustomerUserFactory()

    response = client.post(
        reverse("admin:support_supportrole_add"), {"user": customer.pk, "role": SupportRoleKind.SALES}
    )

    assert response.status_code == 200
    assert "技术支持角色只能分配给交付方人员。" in response.content.decode()
    assert SupportRole.objects.count() == 0


@pytest.mark.parametrize(
    "name", ["support_supportrequest", "support_serviceform", "support_weeklyreport", "support_supportrole"]
)
def test_admin_pages_render(client, cast, name):
    request = flows.form_signed_on_paper(cast)
    client.force_login(AdminUserFactory())

    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    if name == "support_supportrequest":
        assert client.get(reverse(f"admin:{name}_change", args=[request.pk])).status_code == 200
