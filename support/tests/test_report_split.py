"""§6 weekly reports across customers: sales may sign a mixed report whole; split per customer,
each customer signs its own lines."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, CustomerUserFactory, OrganizationFactory
from deadlines.calendar import TZ
from support.enums import ReportState, SupportRoleKind
from support.models import WeeklyReport
from support.selectors import effort_table_for_month, report_signer_choices
from support.services import (
    weekly_report_create,
    weekly_report_entry_add,
    weekly_report_sign,
    weekly_report_split,
    weekly_report_submit,
)

from .conftest import META
from .factories import SupportRequestFactory, person_with_role

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=TZ)
MONDAY = dt.date(2026, 10, 12)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def other(db):
    """A second customer (sorted after 江南制造 by name) with its contact and its request."""
    customer = OrganizationFactory(name="镇海石化有限公司", short_name="镇海石化")
    return customer, CustomerUserFactory(profile__organization=customer, first_name="孙客户")


def _line(report, user, support_request, hours="2", day=MONDAY):
    return weekly_report_entry_add(
        report=report, user=user, support_request=support_request, work_date=day, work_done="排查", hours=Decimal(hours)
    )


@pytest.fixture
def mixed(cast, other):
    """The engineer's report of the week with lines for two customers."""
    customer, _contact = other
    report = weekly_report_create(user=cast.engineer, week_start=MONDAY)
    ours = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    theirs = SupportRequestFactory(customer=customer, sales=cast.sales, engineer=cast.engineer)
    _line(report, cast.engineer, ours, "3")
    _line(report, cast.engineer, theirs, "5")
    _line(report, cast.engineer, ours, "1", MONDAY + dt.timedelta(days=1))
    return report


def _lines(report) -> list[tuple[str, Decimal]]:
    return [(entry.request.customer.short_name, entry.hours) for entry in report.entries.order_by("id")]


def test_mixed_report_is_signed_by_sales_only(mixed, cast):
    assert [person.pk for person in report_signer_choices(report=mixed)] == [cast.sales.pk]


def test_split_gives_each_customer_its_own_report(mixed, cast, other):
    customer, _contact = other

    first, second = weekly_report_split(report=mixed, user=cast.engineer)

    assert first.pk == mixed.pk
    assert (first.customer, second.customer) == (cast.customer, customer)
    assert (first.state, second.state) == (ReportState.DRAFT, ReportState.DRAFT)
    assert _lines(first) == [("江南制造", Decimal("3.0")), ("江南制造", Decimal("1.0"))]
    assert _lines(second) == [("镇海石化", Decimal("5.0"))]
    assert second.summary == mixed.summary


def test_each_customer_signs_its_own_lines_after_the_split(mixed, cast, other):
    customer, contact = other
    first, second = weekly_report_split(report=mixed, user=cast.engineer)

    signers = [p.pk for p in report_signer_choices(report=second)]
    assert signers[0] == cast.sales.pk
    assert contact.pk in signers
    assert cast.contact.pk not in signers
    weekly_report_submit(report=first, user=cast.engineer, signer=cast.contact)
    weekly_report_submit(report=second, user=cast.engineer, signer=contact)
    weekly_report_sign(
        report=first, user=cast.contact, meta=META, typed_name="钱客户", password=DEFAULT_PASSWORD, consent=True
    )
    weekly_report_sign(
        report=second, user=contact, meta=META, typed_name="孙客户", password=DEFAULT_PASSWORD, consent=True
    )

    assert effort_table_for_month(year=2026, month=10).total_reported == Decimal("9")


def test_customer_cannot_sign_the_other_customers_report(mixed, cast, other):
    _customer, contact = other
    first, _second = weekly_report_split(report=mixed, user=cast.engineer)

    with pytest.raises(ValidationError) as refused:
        weekly_report_submit(report=first, user=cast.engineer, signer=contact)

    assert refused.value.message_dict == {
        "signer": ["请选择周报中某个申请的销售，或其客户方人员。"],
    }
    first.refresh_from_db()
    assert (first.state, first.signer) == (ReportState.DRAFT, None)


def test_split_of_a_single_customer_report_is_refused(cast):
    report = weekly_report_create(user=cast.engineer, week_start=MONDAY)
    _line(report, cast.engineer, SupportRequestFactory(customer=cast.customer, engineer=cast.engineer))

    with pytest.raises(ValidationError) as refused:
        weekly_report_split(report=report, user=cast.engineer)

    assert refused.value.messages == ["此周报的所有条目都属于同一客户，无需拆分。"]
    report.refresh_from_db()
    assert report.customer is None
    assert WeeklyReport.objects.count() == 1


def test_only_the_reports_engineer_splits_it(mixed, cast):
    another_engineer = person_with_role(SupportRoleKind.ENGINEER)

    for person in (cast.sales, another_engineer, cast.technical_director):
        with pytest.raises(PermissionDenied):
            weekly_report_split(report=mixed, user=person)

    assert WeeklyReport.objects.count() == 1
    assert len(_lines(mixed)) == 3


def test_split_of_a_submitted_report_is_refused(mixed, cast):
    weekly_report_submit(report=mixed, user=cast.engineer, signer=cast.sales)

    with pytest.raises(ValidationError) as refused:
        weekly_report_split(report=mixed, user=cast.engineer)

    assert refused.value.messages == ["只有草稿状态的周报可以修改。"]
    assert WeeklyReport.objects.count() == 1


def test_split_moves_lines_into_the_customers_existing_draft(mixed, cast, other):
    customer, _contact = other
    first, second = weekly_report_split(report=mixed, user=cast.engineer)
    general = weekly_report_create(user=cast.engineer, week_start=MONDAY)
    _line(general, cast.engineer, SupportRequestFactory(customer=customer, engineer=cast.engineer), "2")
    _line(general, cast.engineer, SupportRequestFactory(customer=cast.customer, engineer=cast.engineer), "4")

    reports = weekly_report_split(report=general, user=cast.engineer)

    assert [report.pk for report in reports] == [first.pk, second.pk]
    assert not WeeklyReport.objects.filter(pk=general.pk).exists()
    assert [hours for _name, hours in _lines(first)] == [Decimal("3.0"), Decimal("1.0"), Decimal("4.0")]
    assert [hours for _name, hours in _lines(second)] == [Decimal("5.0"), Decimal("2.0")]


def test_split_into_a_customer_report_already_sent_is_refused(mixed, cast, other):
    customer, contact = other
    _first, second = weekly_report_split(report=mixed, user=cast.engineer)
    weekly_report_submit(report=second, user=cast.engineer, signer=contact)
    general = weekly_report_create(user=cast.engineer, week_start=MONDAY)
    _line(general, cast.engineer, SupportRequestFactory(customer=customer, engineer=cast.engineer), "2")
    _line(general, cast.engineer, SupportRequestFactory(customer=cast.customer, engineer=cast.engineer), "4")

    with pytest.raises(ValidationError) as refused:
        weekly_report_split(report=general, user=cast.engineer)

    assert refused.value.messages == ["镇海石化本周的周报已提交签字，请先撤回。"]
    assert [hours for _name, hours in _lines(general)] == [Decimal("2.0"), Decimal("4.0")]
    assert second.entries.count() == 1


def test_customer_report_takes_only_that_customers_lines(mixed, cast, other):
    customer, _contact = other
    first, _second = weekly_report_split(report=mixed, user=cast.engineer)

    with pytest.raises(ValidationError) as refused:
        _line(first, cast.engineer, SupportRequestFactory(customer=customer, engineer=cast.engineer))

    assert refused.value.message_dict == {
        "support_request": ["此周报只针对江南制造；其他客户的工作请填写在本周的综合周报中。"]
    }
    assert first.entries.count() == 2


def test_split_on_the_page(client, mixed, cast):
    client.force_login(cast.engineer)
    page = client.get(reverse("support:report", args=[mixed.pk])).content.decode()
    assert 'id="report-split"' in page
    assert "条目涉及 2 个客户：整份周报只能由销售签字。" in page

    response = client.post(reverse("support:report_split", args=[mixed.pk]), follow=True)

    assert response.redirect_chain == [(reverse("support:report", args=[mixed.pk]), 302)]
    page = response.content.decode()
    assert "周报已按客户拆分为 2 份，各客户现在可以签署自己的条目。" in page
    assert '<span id="report-customer">江南制造</span>' in page
    assert 'id="report-split"' not in page


def test_split_refusal_shows_on_the_page(client, cast):
    report = weekly_report_create(user=cast.engineer, week_start=MONDAY)
    _line(report, cast.engineer, SupportRequestFactory(customer=cast.customer, engineer=cast.engineer))
    client.force_login(cast.engineer)

    response = client.post(reverse("support:report_split", args=[report.pk]), follow=True)

    assert "此周报的所有条目都属于同一客户，无需拆分。" in response.content.decode()
    report.refresh_from_db()
    assert report.customer is None


def test_split_by_someone_who_cannot_see_the_report_is_404(client, mixed, cast):
    client.force_login(person_with_role(SupportRoleKind.ENGINEER))

    response = client.post(reverse("support:report_split", args=[mixed.pk]))

    assert response.status_code == 404
    assert WeeklyReport.objects.count() == 1


def test_split_by_the_signer_is_refused(client, mixed, cast):
    """Sales sees a report sent to them but only its engineer may split it (403, nothing changed)."""
    weekly_report_submit(report=mixed, user=cast.engineer, signer=cast.sales)
    client.force_login(cast.sales)

    response = client.post(reverse("support:report_split", args=[mixed.pk]))

    assert response.status_code == 403
    assert WeeklyReport.objects.count() == 1
