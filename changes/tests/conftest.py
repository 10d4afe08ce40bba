"""Fixtures of the changes tests: a project with both leads, a vendor manager."""

from __future__ import annotations

import pytest

from accounts.tests.factories import VendorUserFactory, make_vendor_manager
from projects.tests.factories import ProjectFactory


@pytest.fixture
def project(db):
    return ProjectFactory()


@pytest.fixture
def pm(project):
    return project.vendor_pm


@pytest.fixture
def lead(project):
    return project.customer_lead


@pytest.fixture
def manager(db):
    user = VendorUserFactory(first_name="经理")
    make_vendor_manager(user)
    return user
