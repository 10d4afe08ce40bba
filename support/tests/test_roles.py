"""Roles without friction (SPEC §6 "who does what"): one screen per person, the role a page needs
and who grants it, the project's PM and sales reading what concerns them, what waits for sales."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory, CustomerUserFactory, VendorUserFactory
from projects.tests.factories import ProjectFactory
from support.enums import DeviationResult, EventKind, ReportState, SupportRoleKind
from support.models import SupportRole
from support.services import deviation_report, deviation_result_record, support_roles_set

from . import flows
from .conftest import META
from .factories import SupportRequestFactory, WeeklyReportEntryFactory, WeeklyReportFactory, person_with_role

pytestmark = pytest.mark.django_db


def _roles(person) -> list[str]:
    return sorted(SupportRole.objects.filter(user=person).values_list("role", flat=True))


def test_technical_director_ticks_several_roles_of_a_person_at_once(client, cast):
    person = VendorUserFactory(first_name="刘洋")
    client.force_login(cast.technical_director)

    response = client.post(
        reverse("support:role_person", args=[person.pk]),
        {"roles": [SupportRoleKind.SALES, SupportRoleKind.ENGINEER]},
    )

    assert response.status_code == 302
    assert _roles(person) == ["engineer", "sales"]


def test_unticking_takes_a_role_away(cast):
    support_roles_set(user=cast.technical_director, person=cast.sales, roles=[SupportRoleKind.SALES_LEAD])

    assert _roles(cast.sales) == ["sales_lead"]


def test_engineer_cannot_grant_roles(cast):
    with pytest.raises(PermissionDenied):
        support_roles_set(user=cast.engineer, person=cast.sales, roles=[SupportRoleKind.TECHNICAL_DIRECTOR])

    assert _roles(cast.sales) == ["sales"]


def test_customer_person_gets_no_support_role(cast):
    with pytest.raises(ValidationError) as refused:
        support_roles_set(user=cast.technical_director, person=cast.contact, roles=[SupportRoleKind.SALES])

    assert refused.value.message_dict == {"roles": ["技术支持角色只能分配给交付方人员。"]}
    assert _roles(cast.contact) == []


def test_unknown_role_is_refused(cast):
    with pytest.raises(ValidationError) as refused:
        support_roles_set(user=cast.technical_director, person=cast.sales, roles=["boss"])

    assert refused.value.message_dict == {"roles": ["未知角色：boss。"]}
    assert _roles(cast.sales) == ["sales"]


def test_settings_page_lists_people_with_their_roles(client, cast):
    client.force_login(cast.technical_director)

    page = client.get(reverse("support:roles")).content.decode()

    assert "技术支持角色" in page
    assert f'id="person-{cast.sales.pk}"' in page
    assert "李销售" in page


def test_settings_page_without_the_role_says_who_grants_it(client, cast):
    client.force_login(cast.engineer)

    response = client.get(reverse("support:roles"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "技术支持流程的此页面需要角色：技术总监。" in page
    assert "陈技术" in page


def test_filing_without_the_sales_role_says_which_role_and_who_grants_it(client, cast):
    client.force_login(VendorUserFactory())

    response = client.get(reverse("support:create"))

    assert response.status_code == 403
    page = response.content.decode()
    assert "技术支持流程的此页面需要角色：销售。" in page
    assert "陈技术" in page


def test_vendor_person_without_a_role_sees_how_to_get_one_on_the_list(client, cast):
    client.force_login(VendorUserFactory())

    page = client.get(reverse("support:list")).content.decode()

    assert 'id="no-support-role"' in page
    assert "陈技术" in page


def test_admin_sets_a_persons_roles_on_one_screen(client):
    client.force_login(AdminUserFactory())
    person = VendorUserFactory(first_name="周工")

    page = client.get(reverse("admin:support_supportrole_person"), {"person": person.pk}).content.decode()
    response = client.post(
        reverse("admin:support_supportrole_person"),
        {"person": person.pk, "roles": [SupportRoleKind.ENGINEER, SupportRoleKind.ADMINISTRATION]},
    )

    assert "周工" in page
    assert response.status_code == 302
    assert _roles(person) == ["administration", "engineer"]


def test_admin_person_picker_finds_full_names_exact_username_first(client):
    admin = AdminUserFactory()
    VendorUserFactory(username="presales", first_name="陈晓峰")
    VendorUserFactory(username="sales", first_name="张伟")
    client.force_login(admin)
    url = reverse("admin:autocomplete")
    params = {"app_label": "support", "model_name": "supportrole", "field_name": "user"}

    by_name = client.get(url, {**params, "term": "张伟"}).json()["results"]
    by_username = client.get(url, {**params, "term": "sales"}).json()["results"]

    assert [r["text"].split(" · ")[0] for r in by_name] == ["张伟 (sales)"]
    assert [r["text"].split(" · ")[0] for r in by_username] == ["张伟 (sales)", "陈晓峰 (presales)"]


def test_project_pm_reads_the_support_requests_of_the_project(client, cast):
    pm = VendorUserFactory()
    project = ProjectFactory(customer=cast.customer, vendor_pm=pm)
    request = flows.filed(cast, project=project)
    other = flows.filed(cast)
    client.force_login(pm)

    assert client.get(reverse("support:detail", args=[request.pk])).status_code == 200
    assert client.get(reverse("support:detail", args=[other.pk])).status_code == 404


def test_sales_reads_the_effort_of_their_own_requests_only(client, cast):
    other_sales = person_with_role(SupportRoleKind.SALES, first_name="何销售")
    mine = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    theirs = SupportRequestFactory(customer=cast.customer, sales=other_sales, engineer=cast.engineer)
    report = WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 10, 12), state=ReportState.SIGNED)
    WeeklyReportEntryFactory(report=report, request=mine, hours=Decimal("3"))
    WeeklyReportEntryFactory(report=report, request=theirs, hours=Decimal("5"))
    client.force_login(cast.sales)

    page = client.get(reverse("support:effort"), {"month": "2026-10"}).content.decode()

    assert mine.reference in page
    assert theirs.reference not in page
    assert 'id="total-reported">3' in page


def test_dashboard_shows_what_waits_for_sales(client, cast):
    completed = flows.completed(cast)
    client.force_login(cast.sales)

    page = client.get(reverse("dashboard")).content.decode()

    assert 'id="support-waiting-sales"' in page
    assert completed.reference in page
    assert "须在一个工作日内确认完成" in page


def test_sales_records_the_agreed_result_of_a_deviation(cast):
    request = flows.in_progress(cast)
    deviation = deviation_report(
        support_request=request, user=cast.engineer, meta=META, kind="effort", description="多两天"
    )

    deviation_result_record(
        deviation=deviation, user=cast.sales, meta=META, result=DeviationResult.CHANGED_SCOPE, note="客户同意加两天"
    )

    deviation.refresh_from_db()
    assert (deviation.result, deviation.result_note, deviation.result_by) == (
        "changed_scope",
        "客户同意加两天",
        cast.sales,
    )
    assert list(request.events.filter(kind=EventKind.DEVIATION_RESULT).values_list("comment", flat=True)) == [
        "变更范围: 客户同意加两天"
    ]
    assert request.events.model.objects.filter(kind=EventKind.DEVIATION_RESULT).count() == 1
    from notifications.models import Notification

    assert list(
        Notification.objects.filter(verb="support.deviation_result")
        .values_list("recipient_id", flat=True)
        .order_by("recipient_id")
    ) == sorted([cast.technical_director.pk, cast.engineer.pk])


def test_engineer_cannot_record_the_result_of_a_deviation(cast):
    request = flows.in_progress(cast)
    deviation = deviation_report(
        support_request=request, user=cast.engineer, meta=META, kind="effort", description="多两天"
    )

    with pytest.raises(PermissionDenied):
        deviation_result_record(deviation=deviation, user=cast.engineer, meta=META, result="accepted", note="好")

    deviation.refresh_from_db()
    assert deviation.result == ""


def test_deviation_result_needs_a_known_result_and_a_note(cast):
    request = flows.in_progress(cast)
    deviation = deviation_report(
        support_request=request, user=cast.engineer, meta=META, kind="effort", description="多两天"
    )

    with pytest.raises(ValidationError) as bad_result:
        deviation_result_record(deviation=deviation, user=cast.sales, meta=META, result="maybe", note="x")
    with pytest.raises(ValidationError) as no_note:
        deviation_result_record(deviation=deviation, user=cast.sales, meta=META, result="refused", note=" ")

    assert bad_result.value.message_dict == {"result": ["请选择商定结果。"]}
    assert no_note.value.message_dict == {"note": ["请说明商定内容。"]}
    deviation.refresh_from_db()
    assert deviation.result == ""


def test_seed_demo_gives_the_demo_people_their_support_roles():
    call_command("seed_demo", stdout=io.StringIO())

    by_user = {
        username: sorted(SupportRole.objects.filter(user__username=username).values_list("role", flat=True))
        for username in ("sales", "engineer", "techdir", "salesdir", "pm")
    }
    assert by_user == {
        "sales": ["sales"],
        "engineer": ["engineer"],
        "techdir": ["technical_director"],
        "salesdir": ["company_sales_director", "local_sales_director"],
        "pm": [],
    }


def test_customer_contact_cannot_open_support_settings(client, cast):
    client.force_login(CustomerUserFactory())

    assert client.get(reverse("support:roles")).status_code == 403
