"""Who sees what: a customer never sees another customer's requests nor anything internal;
people outside the procedure get 404, never the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.tests.factories import CustomerUserFactory, OrganizationFactory, VendorUserFactory
from support.enums import SupportRoleKind

from . import flows
from .factories import InternalNoteFactory, SupportRequestFactory, person_with_role

pytestmark = pytest.mark.django_db


def test_customer_sees_only_their_organisations_requests(client, cast):
    ours = SupportRequestFactory(customer=cast.customer)
    theirs = SupportRequestFactory(customer=OrganizationFactory(short_name="别家"))
    client.force_login(CustomerUserFactory(profile__organization=cast.customer))

    listing = client.get(reverse("support:list")).content.decode()
    mine = client.get(reverse("support:detail", args=[ours.pk]))
    other = client.get(reverse("support:detail", args=[theirs.pk]))

    assert ours.reference in listing
    assert theirs.reference not in listing
    assert mine.status_code == 200
    assert other.status_code == 404


@pytest.mark.parametrize(
    "name",
    ["support:detail", "support:form_pdf", "support:form_scan", "support:archive", "support:file_formal"],
)
def test_other_customer_gets_404_on_every_page(client, cast, name):
    request = flows.form_signed_on_paper(cast)
    client.force_login(CustomerUserFactory(profile__organization=OrganizationFactory()))

    assert client.get(reverse(name, args=[request.pk])).status_code == 404


@pytest.mark.parametrize(
    "name", ["support:accept", "support:note", "support:deviation", "support:complete", "support:close"]
)
def test_other_customer_gets_404_on_every_action(client, cast, name):
    request = flows.in_progress(cast)
    client.force_login(CustomerUserFactory(profile__organization=OrganizationFactory()))

    assert client.post(reverse(name, args=[request.pk]), {}).status_code == 404


def test_internal_parts_are_never_shown_to_the_customer(client, cast):
    request = flows.form_signed_on_paper(cast)
    InternalNoteFactory(request=request, author=cast.sales, text="内部：客户欠款未清")
    from support.services import deviation_report, escalation_raise

    from .conftest import META

    deviation_report(
        support_request=request, user=cast.engineer, meta=META, kind="products", description="客户想加购许可证"
    )
    escalation_raise(
        support_request=request, user=cast.engineer, meta=META, subject="工时争议", description="销售要求免费加班"
    )
    client.force_login(cast.contact)

    page = client.get(reverse("support:detail", args=[request.pk])).content.decode()

    assert request.reference in page
    assert "网关恢复正常，队列清空" in page  # the outcome is the customer's to see
    for internal in ("内部：客户欠款未清", "客户想加购许可证", "工时争议", "客户机房在苏州", "带上备用网关镜像"):
        assert internal not in page
    assert 'id="notes-card"' not in page
    assert 'id="history-card"' not in page
    assert 'id="effort-card"' not in page


@pytest.mark.parametrize("name", ["support:archive", "support:file_formal"])
def test_customer_of_the_request_gets_404_on_internal_pages(client, cast, name):
    request = flows.form_signed_on_paper(cast)
    client.force_login(cast.contact)

    assert client.get(reverse(name, args=[request.pk])).status_code == 404


def test_customer_gets_404_on_internal_actions_of_their_own_request(client, cast):
    request = flows.in_progress(cast)
    client.force_login(cast.contact)

    response = client.post(reverse("support:note", args=[request.pk]), {"note-text": "我想看内部备注"})

    assert response.status_code == 404
    assert request.internal_notes.count() == 0


def test_vendor_person_without_a_support_role_gets_404(client, cast):
    request = flows.filed(cast)
    client.force_login(VendorUserFactory())

    assert client.get(reverse("support:detail", args=[request.pk])).status_code == 404
    assert request.reference not in client.get(reverse("support:list")).content.decode()


def test_sales_sees_their_own_requests_only(client, cast):
    mine = flows.filed(cast)
    other_sales = person_with_role(SupportRoleKind.SALES)
    client.force_login(other_sales)

    assert client.get(reverse("support:detail", args=[mine.pk])).status_code == 404


@pytest.mark.parametrize(
    "role",
    [
        SupportRoleKind.TECHNICAL_DIRECTOR,
        SupportRoleKind.ENGINEER,
        SupportRoleKind.SALES_LEAD,
        SupportRoleKind.LOCAL_SALES_DIRECTOR,
        SupportRoleKind.COMPANY_SALES_DIRECTOR,
        SupportRoleKind.ADMINISTRATION,
    ],
)
def test_oversight_roles_see_every_request(client, cast, role):
    request = flows.filed(cast)
    client.force_login(person_with_role(role))

    assert client.get(reverse("support:detail", args=[request.pk])).status_code == 200


def test_effort_pages_are_404_for_engineers_and_customers(client, cast):
    for person in (cast.engineer, cast.contact):
        client.force_login(person)
        assert client.get(reverse("support:effort")).status_code == 404
        assert client.get(reverse("support:effort_export"), {"month": "2026-09"}).status_code == 404


def test_weekly_report_is_404_for_people_not_concerned(client, cast):
    from .factories import WeeklyReportFactory

    report = WeeklyReportFactory(engineer=cast.engineer)
    for person in (person_with_role(SupportRoleKind.ENGINEER), cast.contact, cast.sales):
        client.force_login(person)
        assert client.get(reverse("support:report", args=[report.pk])).status_code == 404
