"""Every page runs the same number of queries with few and with many letters, events and claims."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from changes.enums import ChangeKind
from changes.services import change_comment, change_version_draft, claim_file, compensation_windows_open
from projects.tests.factories import ProjectFactory

from .factories import META, change_approved, change_filed, deliverable_confirmed

pytestmark = pytest.mark.django_db

# session, user, unread notifications (context processor): every logged-in page.
BASE = 3
SIZES = [1, 4]


@pytest.mark.parametrize("count", SIZES)
def test_my_list_query_count_is_constant(client, django_assert_num_queries, count):
    lead = ProjectFactory().customer_lead
    for _ in range(count):
        project = ProjectFactory(customer_lead=lead, customer=lead.profile.organization)
        change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
        change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    client.force_login(lead)

    # + access facts, count, page of letters (with their reply deadline)
    with django_assert_num_queries(BASE + 3):
        response = client.get(reverse("changes:mine"))

    assert len(response.context["page"]) == 2 * count


@pytest.mark.parametrize("count", SIZES)
def test_project_list_query_count_is_constant(client, django_assert_num_queries, project, pm, count):
    for _ in range(count):
        change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
        change_approved(project, kind=ChangeKind.FORCE_MAJEURE)
    client.force_login(pm)

    # + access facts, project, count, page of letters
    with django_assert_num_queries(BASE + 4):
        response = client.get(reverse("changes:list", args=[project.code]))

    assert len(response.context["page"]) == 2 * count


@pytest.mark.parametrize("count", SIZES)
def test_letter_page_query_count_is_constant(client, django_assert_num_queries, project, pm, lead, count):
    deliverable_confirmed(project, "requirements_confirmation")
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    change_version_draft(change=change, user=pm, meta=META, type_code="requirements_confirmation")
    compensation_windows_open(project=project, golive_on=timezone.localdate())
    claim_file(change=change, user=lead, meta=META, days_requested=3, reason="理由")
    for i in range(count):
        change_comment(change=change, user=lead if i % 2 else pm, meta=META, text=f"意见{i}")
    client.force_login(pm)

    # + access facts, project, letter, versions, claim, deadlines, attachments, PDFs, events,
    #   the deliverables the PM may still draft
    with django_assert_num_queries(BASE + 10):
        response = client.get(reverse("changes:change", args=[project.code, change.number]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_letter_page_with_attachments_query_count_is_constant(client, django_assert_num_queries, project, count):
    files = [SimpleUploadedFile(f"附件{i}.pdf", b"%PDF-1.4 x") for i in range(count)]
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT, attachments=files)
    client.force_login(project.customer_lead)

    # as above, without the drafting choices (the lead drafts nothing)
    with django_assert_num_queries(BASE + 9):
        response = client.get(reverse("changes:change", args=[project.code, change.number]))

    assert len(response.context["attachments"]) == count


@pytest.mark.parametrize("count", SIZES)
def test_new_letter_page_query_count_is_constant(client, django_assert_num_queries, project, lead, count):
    for _ in range(count):
        change_filed(project)
    client.force_login(lead)

    # + access facts, project
    with django_assert_num_queries(BASE + 2):
        response = client.get(reverse("changes:create", args=[project.code]))

    assert response.status_code == 200


@pytest.mark.parametrize("count", SIZES)
def test_claim_page_query_count_is_constant(client, django_assert_num_queries, project, lead, count):
    changes = [change_approved(project, kind=ChangeKind.VENDOR_INITIATED) for _ in range(count)]
    compensation_windows_open(project=project, golive_on=timezone.localdate())
    client.force_login(lead)

    # + access facts, project, letter, claim, window (twice: refusal check and display)
    with django_assert_num_queries(BASE + 6):
        response = client.get(reverse("changes:claim", args=[project.code, changes[-1].number]))

    assert response.context["refusal"] is None


@pytest.mark.parametrize("count", SIZES)
def test_claim_list_query_count_is_constant(client, django_assert_num_queries, project, pm, lead, count):
    compensation_windows_open(project=project, golive_on=timezone.localdate())
    for _ in range(count):
        claimed = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
        change_approved(project, kind=ChangeKind.VENDOR_INITIATED)
        compensation_windows_open(project=project, golive_on=timezone.localdate())
        claim_file(change=claimed, user=lead, meta=META, days_requested=5, reason="理由")
    client.force_login(pm)

    # + access facts, project, claims, changes open for a claim
    with django_assert_num_queries(BASE + 4):
        response = client.get(reverse("changes:claims", args=[project.code]))

    assert (len(response.context["claims"]), len(response.context["claimable"])) == (count, count)
