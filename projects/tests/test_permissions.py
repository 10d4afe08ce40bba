"""A user's standing on a project, the one answer every app asks."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from accounts.tests.factories import AdminUserFactory, CustomerUserFactory, VendorUserFactory
from projects.enums import MemberRole, Side
from projects.permissions import project_lead_id, project_leads, project_standing
from projects.tests.factories import ProjectFactory, ProjectMemberFactory

pytestmark = pytest.mark.django_db


def test_standing_of_the_vendor_pm():
    project = ProjectFactory()
    standing = project_standing(project, project.vendor_pm)
    assert (standing.is_vendor_lead, standing.is_customer_lead, standing.is_manager, standing.is_admin) == (
        True,
        False,
        True,
        False,
    )
    assert standing.lead_side == Side.VENDOR
    assert standing.side == Side.VENDOR
    assert standing.is_member is True
    assert standing.is_vendor_member is True


def test_standing_of_the_customer_lead():
    project = ProjectFactory()
    standing = project_standing(project, project.customer_lead)
    assert (standing.is_vendor_lead, standing.is_customer_lead, standing.is_manager) == (False, True, False)
    assert standing.lead_side == Side.CUSTOMER
    assert standing.leads(Side.CUSTOMER) is True
    assert standing.leads(Side.VENDOR) is False
    assert standing.side == Side.CUSTOMER
    assert standing.is_vendor_member is False


def test_standing_of_a_team_member_who_leads_nothing():
    project = ProjectFactory()
    member = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER)
    standing = project_standing(project, member.user)
    assert standing.lead_side is None
    assert standing.is_manager is False
    assert standing.member_sides == frozenset({Side.VENDOR})
    assert standing.is_member is True
    assert standing.is_vendor_member is True


def test_standing_of_an_outsider():
    project = ProjectFactory()
    standing = project_standing(project, CustomerUserFactory())
    assert standing.is_member is False
    assert standing.side is None
    assert standing.lead_side is None


def test_standing_of_an_admin_is_manager_without_leading():
    project = ProjectFactory()
    standing = project_standing(project, AdminUserFactory())
    assert (standing.is_admin, standing.is_manager, standing.is_lead, standing.is_member) == (True, True, False, True)


def test_an_inactive_vendor_pm_does_not_manage():
    project = ProjectFactory()
    project.vendor_pm.is_active = False
    assert project_standing(project, project.vendor_pm).is_manager is False


def test_anonymous_user_does_not_lead_a_project_without_leads():
    project = ProjectFactory(vendor_pm=None, customer_lead=None)
    standing = project_standing(project, AnonymousUser())
    assert (standing.is_vendor_lead, standing.is_customer_lead, standing.is_member) == (False, False, False)


def test_standing_costs_no_query_until_membership_is_read(django_assert_num_queries):
    project = ProjectFactory()
    user = VendorUserFactory()
    with django_assert_num_queries(0):
        standing = project_standing(project, user)
        assert standing.is_manager is False
    with django_assert_num_queries(1):
        assert standing.is_member is False
        assert standing.is_vendor_member is False


def test_project_leads_and_lead_ids():
    project = ProjectFactory()
    assert project_leads(project) == [project.vendor_pm, project.customer_lead]
    assert project_lead_id(project, Side.VENDOR) == project.vendor_pm_id
    assert project_lead_id(project, Side.CUSTOMER) == project.customer_lead_id
