from __future__ import annotations

import pytest

from accounts.tests.factories import AdminUserFactory
from delivery.audit import RequestMeta
from documents.tests.factories import VersionFactory

META = RequestMeta(ip_address="10.0.0.9", user_agent="pytest")


@pytest.fixture
def admin_user():
    return AdminUserFactory()


@pytest.fixture
def version():
    """A draft requirements confirmation of a project (its customer organisation is ``project.customer``)."""
    return VersionFactory(number=1)
