"""The admin shows letters and claims read-only: a filed letter is fingerprinted and sealed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import AdminUserFactory
from changes.enums import ChangeKind
from changes.services import claim_file, compensation_windows_open

from .factories import META, change_approved

pytestmark = pytest.mark.django_db


def test_admin_lists_and_shows_letters_and_claims_read_only(client, project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=timezone.localdate())
    claim = claim_file(change=change, user=lead, meta=META, days_requested=2, reason="理由")
    client.force_login(AdminUserFactory())

    pages = [
        reverse("admin:changes_changerequest_changelist"),
        reverse("admin:changes_changerequest_change", args=[change.pk]),
        reverse("admin:changes_compensationclaim_changelist"),
        reverse("admin:changes_compensationclaim_change", args=[claim.pk]),
    ]

    assert [client.get(url).status_code for url in pages] == [200, 200, 200, 200]
    assert client.get(reverse("admin:changes_changerequest_add")).status_code == 403
    response = client.post(reverse("admin:changes_changerequest_change", args=[change.pk]), {"title": "改写"})
    change.refresh_from_db()
    assert (response.status_code, change.title) == (403, "归档邮箱容量调整")
