from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from accounts.tests.factories import CustomerUserFactory, VendorUserFactory
from api.services import token_create
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
def outsider(db):
    """A customer user of another organisation: sees nothing of ``project``."""
    return CustomerUserFactory()


@pytest.fixture
def other_vendor(db):
    """Vendor staff who is not on the project's team (and no vendor manager)."""
    return VendorUserFactory()


def client_for(user, *, language: str = "en") -> APIClient:
    """A client that authenticates as a script would: with a personal access token. Messages
    come in English here so tests can compare them (Chinese is the default, as on the pages)."""
    _token, raw = token_create(user=user, name="pytest")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.fixture
def api_as():
    return client_for
