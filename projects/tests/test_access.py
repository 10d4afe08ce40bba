"""One place decides who sees what: the selectors every page and action goes through."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from accounts.tests.factories import AdminUserFactory, CustomerUserFactory, VendorUserFactory, make_vendor_manager
from projects.enums import MemberRole
from projects.selectors import project_get_for_manager, project_get_for_user, project_list_for_user

from .factories import ProjectFactory, ProjectMemberFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_projects():
    return ProjectFactory(code="HX-A"), ProjectFactory(code="HX-B")


def _codes(user) -> list[str]:
    return sorted(project_list_for_user(user=user).values_list("code", flat=True))


def test_admin_sees_every_project(two_projects):
    assert _codes(AdminUserFactory()) == ["HX-A", "HX-B"]


def test_vendor_manager_sees_every_vendor_project(two_projects):
    manager = VendorUserFactory()
    make_vendor_manager(manager)

    assert _codes(manager) == ["HX-A", "HX-B"]


def test_vendor_manager_group_means_nothing_for_a_customer_user(two_projects):
    customer_user = CustomerUserFactory()
    make_vendor_manager(customer_user)

    assert _codes(customer_user) == []


def test_vendor_staff_see_the_projects_they_are_members_of(two_projects):
    first, _second = two_projects
    engineer = ProjectMemberFactory(project=first, role=MemberRole.ENGINEER).user

    assert _codes(engineer) == ["HX-A"]
    assert _codes(first.vendor_pm) == ["HX-A"]
    assert _codes(VendorUserFactory()) == []


def test_customer_users_see_only_projects_they_are_members_of(two_projects):
    first, second = two_projects
    colleague = CustomerUserFactory(profile__organization=first.customer)

    assert _codes(first.customer_lead) == ["HX-A"]
    assert _codes(second.customer_lead) == ["HX-B"]
    # Same customer organisation, but not in the team: nothing.
    assert _codes(colleague) == []


def test_inactive_member_sees_nothing(two_projects):
    first, _second = two_projects
    lead = first.customer_lead
    lead.is_active = False
    lead.save()

    assert _codes(lead) == []


def test_project_get_for_user_is_404_for_a_non_member(two_projects):
    first, second = two_projects

    assert project_get_for_user(user=first.customer_lead, code="HX-A") == first
    with pytest.raises(Http404):
        project_get_for_user(user=first.customer_lead, code="HX-B")
    with pytest.raises(Http404):
        project_get_for_user(user=first.customer_lead, code="NO-SUCH")


def test_project_get_for_manager_is_403_for_a_member_and_404_for_others(two_projects):
    first, _second = two_projects

    assert project_get_for_manager(user=first.vendor_pm, code="HX-A") == first
    with pytest.raises(PermissionDenied):
        project_get_for_manager(user=first.customer_lead, code="HX-A")
    with pytest.raises(Http404):
        project_get_for_manager(user=VendorUserFactory(), code="HX-A")
