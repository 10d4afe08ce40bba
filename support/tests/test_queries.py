"""Every list and detail page runs the same number of queries with one item and with many."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from support.services import deviation_report, escalation_raise, internal_note_add

from . import flows
from .conftest import META
from .factories import EffortAccountFactory, SupportRequestFactory, WeeklyReportEntryFactory, WeeklyReportFactory

pytestmark = pytest.mark.django_db

# session, user, unread notifications (context processor): every logged-in page.
BASE = 3


def _warm(client, url) -> None:
    """The calendar snapshot and content types are cached per process: load them before counting."""
    client.get(url)


@pytest.mark.parametrize("count", [1, 12])
def test_request_list_query_count_is_constant(client, django_assert_num_queries, cast, count):
    for _ in range(count):
        SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)
    client.force_login(cast.technical_director)
    url = reverse("support:list")
    _warm(client, url)

    # + access facts, support roles, count, page rows
    with django_assert_num_queries(BASE + 4):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_request_list_for_a_customer_query_count_is_constant(client, django_assert_num_queries, cast, count):
    for _ in range(count):
        SupportRequestFactory(customer=cast.customer)
    client.force_login(cast.contact)
    url = reverse("support:list")
    _warm(client, url)

    # + access facts, support roles, count, page rows
    with django_assert_num_queries(BASE + 4):
        response = client.get(url)

    assert response.status_code == 200


def _busy_request(cast, count: int):
    request = flows.form_signed_on_paper(cast)
    for index in range(count):
        internal_note_add(support_request=request, user=cast.sales, text=f"备注{index}")
        deviation_report(
            support_request=request, user=cast.engineer, meta=META, kind="effort", description=f"偏差{index}"
        )
        escalation_raise(
            support_request=request, user=cast.engineer, meta=META, subject=f"争议{index}", description="说明"
        )
        EffortAccountFactory(request=request, estimated_hours=Decimal("3"))
        report = WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=index))
        report.submit(signer=cast.sales, sha256="x", at=request.filed_at)
        report.save()
        report.sign(typed_name="x", at=request.filed_at, ip_address=None, user_agent="")
        report.save()
        WeeklyReportEntryFactory(report=report, request=request, hours=Decimal("2"))
    return request


@pytest.mark.parametrize("count", [1, 6])
def test_request_detail_query_count_is_constant(client, django_assert_num_queries, cast, count):
    request = _busy_request(cast, count)
    client.force_login(cast.technical_director)
    url = reverse("support:detail", args=[request.pk])
    _warm(client, url)

    # + access facts, support roles, request, service form, notes, deviations, escalations, planning
    # documents, events, effort accounts, signed hours, deadlines, engineers (effort form choices)
    with django_assert_num_queries(BASE + 13):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_request_detail_for_the_customer_query_count_is_constant(client, django_assert_num_queries, cast, count):
    request = _busy_request(cast, count)
    client.force_login(cast.contact)
    url = reverse("support:detail", args=[request.pk])
    _warm(client, url)

    # + access facts, support roles, request, service form
    with django_assert_num_queries(BASE + 4):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_report_list_query_count_is_constant(client, django_assert_num_queries, cast, count):
    for index in range(count):
        report = WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 1, 5) + dt.timedelta(weeks=index))
        WeeklyReportEntryFactory(report=report)
    client.force_login(cast.technical_director)
    url = reverse("support:reports")
    _warm(client, url)

    # + access facts, support roles, count, page rows
    with django_assert_num_queries(BASE + 4):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_report_detail_query_count_is_constant(client, django_assert_num_queries, cast, count):
    report = WeeklyReportFactory(engineer=cast.engineer)
    for _ in range(count):
        WeeklyReportEntryFactory(
            report=report, request=SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)
        )
    client.force_login(cast.engineer)
    url = reverse("support:report", args=[report.pk])
    _warm(client, url)

    # + support roles, report, lines, requests to report on, and the signer choices: sales and
    # customer of the requests, sales people, the customer's people
    with django_assert_num_queries(BASE + 7):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 12])
def test_effort_table_query_count_is_constant(client, django_assert_num_queries, cast, count):
    for index in range(count):
        report = WeeklyReportFactory(week_start=dt.date(2026, 10, 5))
        report.submit(signer=cast.sales, sha256="x", at=dt.datetime(2026, 10, 9, tzinfo=dt.UTC))
        report.save()
        report.sign(typed_name="x", at=dt.datetime(2026, 10, 9, tzinfo=dt.UTC), ip_address=None, user_agent="")
        report.save()
        entry = WeeklyReportEntryFactory(report=report, hours=Decimal(index + 1))
        EffortAccountFactory(request=entry.request, engineer=report.engineer)
    client.force_login(cast.technical_director)
    url = reverse("support:effort")
    _warm(client, url + "?month=2026-10")

    # + support roles, hours per engineer and request, engineers, requests, accounts
    with django_assert_num_queries(BASE + 5):
        response = client.get(url, {"month": "2026-10"})

    assert response.status_code == 200


@pytest.mark.parametrize("kinds", [1, 5])
def test_planning_document_page_query_count_is_constant(client, django_assert_num_queries, cast, kinds):
    from projects.tests.factories import ProjectFactory
    from support.enums import PROJECT_DOCUMENTS
    from support.services import planning_document_save

    request = flows.accepted(cast, project=ProjectFactory(customer=cast.customer))
    for kind in PROJECT_DOCUMENTS[:kinds]:
        planning_document_save(support_request=request, user=cast.engineer, meta=META, kind=kind, texts={"x": "y"})
    client.force_login(cast.engineer)
    url = reverse("support:planning", args=[request.pk, "proposal"])
    _warm(client, url)

    # + access facts, support roles, request, document
    with django_assert_num_queries(BASE + 4):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 6])
def test_service_form_sign_page_query_count_is_constant(client, django_assert_num_queries, cast, count):
    from support.services import service_form_send, support_request_outcome_record

    request = flows.in_progress(cast)
    for index in range(count):
        internal_note_add(support_request=request, user=cast.sales, text=f"备注{index}")
    support_request_outcome_record(support_request=request, user=cast.engineer, meta=META, outcome="恢复")
    service_form_send(support_request=request, user=cast.engineer, meta=META, work_summary="清理", hours=2)
    client.force_login(cast.contact)
    url = reverse("support:form_sign", args=[request.pk])
    _warm(client, url)

    # + access facts, support roles, request, service form, the organisation's step-up method
    with django_assert_num_queries(BASE + 5):
        response = client.get(url)

    assert response.status_code == 200
