"""§6 effort: weekly technical reports signed by the customer or sales; estimated vs accounted
hours per engineer and request; the monthly table and its .xlsx export."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.tests.factories import DEFAULT_PASSWORD
from deadlines.calendar import TZ
from notifications.models import Notification
from support.enums import ReportState, SupportRoleKind
from support.selectors import effort_table_for_month, report_signer_choices
from support.services import (
    effort_account_set,
    weekly_report_create,
    weekly_report_entry_add,
    weekly_report_sign,
    weekly_report_submit,
    weekly_report_withdraw,
)

from .conftest import META
from .factories import (
    EffortAccountFactory,
    SupportRequestFactory,
    WeeklyReportEntryFactory,
    WeeklyReportFactory,
    person_with_role,
)

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 10, 20, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(NOW, tick=False):
        yield


def _signed(report):
    report.submit(signer=report.engineer, sha256="x", at=NOW)
    report.save()
    report.sign(typed_name="x", at=NOW, ip_address=None, user_agent="")
    report.save()
    return report


def test_weekly_report_covers_the_week_of_the_given_day(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 15))

    assert report.week_start == dt.date(2026, 10, 12)
    assert report.state == ReportState.DRAFT


def test_second_report_for_the_same_week_is_refused(cast):
    weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))

    with pytest.raises(ValidationError) as refused:
        weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 18))

    assert refused.value.message_dict == {"week_start": ["本周已有报告。"]}


def test_only_engineers_write_weekly_reports(cast):
    with pytest.raises(PermissionDenied):
        weekly_report_create(user=cast.sales, week_start=dt.date(2026, 10, 12))


def test_report_lines_are_for_the_engineers_own_requests(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    someone_elses = SupportRequestFactory(customer=cast.customer, engineer=person_with_role(SupportRoleKind.ENGINEER))

    with pytest.raises(ValidationError) as refused:
        weekly_report_entry_add(
            report=report,
            user=cast.engineer,
            work_date=report.week_start,
            support_request=someone_elses,
            work_done="x",
            hours=2,
        )

    assert refused.value.message_dict == {"support_request": ["只能为分配给您的申请填报工作。"]}
    assert report.entries.count() == 0


def test_report_line_added_on_the_page(client, cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    ours = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    client.force_login(cast.engineer)

    response = client.post(
        reverse("support:report_entry_add", args=[report.pk]),
        {
            "entry-work_date": "2026-10-13",
            "entry-support_request": ours.pk,
            "entry-work_done": "清理队列",
            "entry-hours": "3",
        },
    )

    assert response.status_code == 302
    assert list(report.entries.values_list("request_id", "work_date", "hours")) == [
        (ours.pk, dt.date(2026, 10, 13), Decimal("3.0"))
    ]


def test_report_line_without_the_work_is_refused_on_the_page(client, cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    ours = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    client.force_login(cast.engineer)

    response = client.post(
        reverse("support:report_entry_add", args=[report.pk]),
        {"entry-work_date": "2026-10-13", "entry-support_request": ours.pk, "entry-work_done": " ", "entry-hours": "3"},
    )

    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()
    assert report.entries.count() == 0


def test_customer_signs_a_report_of_their_requests_only(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    ours = SupportRequestFactory(
        customer=cast.customer, sales=cast.sales, engineer=cast.engineer, customer_contact=cast.contact
    )
    weekly_report_entry_add(
        report=report,
        user=cast.engineer,
        work_date=report.week_start,
        support_request=ours,
        work_done="清理队列",
        hours=Decimal("6"),
    )

    assert [p.pk for p in report_signer_choices(report=report)] == [cast.sales.pk, cast.contact.pk]

    theirs = SupportRequestFactory(engineer=cast.engineer)
    weekly_report_entry_add(
        report=report,
        user=cast.engineer,
        work_date=report.week_start,
        support_request=theirs,
        work_done="远程检查",
        hours=Decimal("1"),
    )

    assert sorted(p.pk for p in report_signer_choices(report=report)) == sorted([cast.sales.pk, theirs.sales.pk])


def test_report_signed_by_the_customer(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    request = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    weekly_report_entry_add(
        report=report,
        user=cast.engineer,
        work_date=report.week_start,
        support_request=request,
        work_done="清理队列",
        hours=6,
    )
    weekly_report_submit(report=report, user=cast.engineer, signer=cast.contact)

    weekly_report_sign(
        report=report, user=cast.contact, meta=META, typed_name="钱客户", password=DEFAULT_PASSWORD, consent=True
    )

    report.refresh_from_db()
    assert report.state == ReportState.SIGNED
    assert (report.typed_name, report.ip_address, report.user_agent) == ("钱客户", "10.0.0.8", "pytest")
    assert Notification.objects.filter(verb="support.report_signed", recipient=cast.engineer).count() == 1


def test_report_changed_after_submission_cannot_be_signed(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    request = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    entry = weekly_report_entry_add(
        report=report,
        user=cast.engineer,
        work_date=report.week_start,
        support_request=request,
        work_done="清理",
        hours=6,
    )
    weekly_report_submit(report=report, user=cast.engineer, signer=cast.sales)
    type(entry).objects.filter(pk=entry.pk).update(hours=Decimal("60"))

    with pytest.raises(ValidationError) as refused:
        weekly_report_sign(
            report=report, user=cast.sales, meta=META, typed_name="李销售", password=DEFAULT_PASSWORD, consent=True
        )

    assert refused.value.messages == ["周报内容与其指纹不符，无法签署。"]
    report.refresh_from_db()
    assert (report.state, report.signed_at, report.typed_name) == (ReportState.SUBMITTED, None, "")


def test_withdrawn_report_is_a_draft_again(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    request = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)
    weekly_report_entry_add(
        report=report,
        user=cast.engineer,
        work_date=report.week_start,
        support_request=request,
        work_done="清理",
        hours=6,
    )
    weekly_report_submit(report=report, user=cast.engineer, signer=cast.sales)

    weekly_report_withdraw(report=report, user=cast.engineer)

    report.refresh_from_db()
    assert (report.state, report.signer, report.sha256) == (ReportState.DRAFT, None, "")


def test_technical_director_sets_estimated_and_accounted_effort(cast):
    request = SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)

    effort_account_set(
        support_request=request,
        user=cast.technical_director,
        meta=META,
        engineer=cast.engineer,
        estimated_hours=Decimal("16"),
        accounted_hours=None,
    )
    account = effort_account_set(
        support_request=request,
        user=cast.technical_director,
        meta=META,
        engineer=cast.engineer,
        estimated_hours=Decimal("16"),
        accounted_hours=Decimal("18.5"),
    )

    assert request.effort_accounts.count() == 1
    assert (account.estimated_hours, account.accounted_hours) == (Decimal("16"), Decimal("18.5"))


def test_only_the_technical_director_sets_effort(cast):
    request = SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)

    with pytest.raises(PermissionDenied):
        effort_account_set(
            support_request=request, user=cast.engineer, meta=META, engineer=cast.engineer, estimated_hours=Decimal("1")
        )

    assert request.effort_accounts.count() == 0


@pytest.fixture
def october(cast):
    """Signed hours in October 2026 for two engineers on three requests, plus noise that must not count."""
    other = person_with_role(SupportRoleKind.ENGINEER, first_name="张工")
    one = SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)
    two = SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)
    three = SupportRequestFactory(customer=cast.customer, engineer=other)
    week1 = _signed(WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 10, 5)))
    week2 = _signed(WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 10, 12)))
    week_other = _signed(WeeklyReportFactory(engineer=other, week_start=dt.date(2026, 10, 12)))
    WeeklyReportEntryFactory(report=week1, request=one, hours=Decimal("6.5"))
    WeeklyReportEntryFactory(report=week2, request=one, hours=Decimal("3"))
    WeeklyReportEntryFactory(report=week2, request=two, hours=Decimal("8"))
    WeeklyReportEntryFactory(report=week_other, request=three, hours=Decimal("12"))
    # Not counted: an unsigned report, and a signed week that starts in September.
    WeeklyReportEntryFactory(
        report=WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 10, 19)), request=one, hours=40
    )
    september = _signed(WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 9, 28)))
    WeeklyReportEntryFactory(report=september, request=one, hours=Decimal("30"))
    EffortAccountFactory(
        request=one, engineer=cast.engineer, estimated_hours=Decimal("8"), accounted_hours=Decimal("9.5")
    )
    EffortAccountFactory(request=three, engineer=other, estimated_hours=Decimal("10"), accounted_hours=None)
    return {"one": one, "two": two, "three": three, "other": other}


def test_monthly_effort_totals(october, cast):
    table = effort_table_for_month(year=2026, month=10)

    rows = [
        (r.engineer.first_name, r.support_request.pk, r.reported_hours, r.estimated_hours, r.accounted_hours)
        for r in table.rows
    ]
    assert rows == [
        ("张工", october["three"].pk, Decimal("12.0"), Decimal("10.0"), None),
        ("王工", october["one"].pk, Decimal("9.5"), Decimal("8.0"), Decimal("9.5")),
        ("王工", october["two"].pk, Decimal("8.0"), None, None),
    ]
    assert (table.total_reported, table.total_estimated, table.total_accounted) == (
        Decimal("29.5"),
        Decimal("18.0"),
        Decimal("9.5"),
    )


def test_monthly_effort_xlsx_has_the_exact_totals(client, october, cast):
    client.force_login(cast.technical_director)

    response = client.get(reverse("support:effort_export"), {"month": "2026-10"})

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="support-effort-2026-10.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "2026-10"
    assert values[0] == [
        "工程师",
        "申请",
        "标题",
        "客户方",
        "已报工时（已签署）",
        "预估工时",
        "核定工时",
        "核定 − 预估",
    ]
    assert [row[:2] for row in values[1:4]] == [
        ["张工", october["three"].reference],
        ["王工", october["one"].reference],
        ["王工", october["two"].reference],
    ]
    assert [row[4:] for row in values[1:4]] == [[12.0, 10.0, None, None], [9.5, 8.0, 9.5, 1.5], [8.0, None, None, None]]
    assert values[4] == ["合计", None, None, None, 29.5, 18.0, 9.5, -8.5]


def test_effort_export_with_a_malformed_month_says_so(client, cast):
    client.force_login(cast.technical_director)

    response = client.get(reverse("support:effort_export"), {"month": "2026-13"}, follow=True)

    assert "请按 YYYY-MM 格式填写月份，例如 2026-10。" in response.content.decode()


def test_effort_page_shows_the_totals(client, october, cast):
    client.force_login(cast.technical_director)

    page = client.get(reverse("support:effort"), {"month": "2026-10"}).content.decode()

    assert '<th class="num" id="total-reported">29.5</th>' in page
    assert '<th class="num" id="total-estimated">18.0</th>' in page
    assert '<th class="num" id="total-accounted">9.5</th>' in page


def test_week_spanning_two_months_is_split_by_the_day_of_each_line(cast):
    """The week of Monday 30 November: work on 30 November counts in November, on 1–2 December in
    December; each month's total equals the sum of its signed lines."""
    request = SupportRequestFactory(customer=cast.customer, engineer=cast.engineer)
    report = _signed(WeeklyReportFactory(engineer=cast.engineer, week_start=dt.date(2026, 11, 30)))
    WeeklyReportEntryFactory(report=report, request=request, work_date=dt.date(2026, 11, 30), hours=Decimal("2"))
    WeeklyReportEntryFactory(report=report, request=request, work_date=dt.date(2026, 12, 1), hours=Decimal("5"))
    WeeklyReportEntryFactory(report=report, request=request, work_date=dt.date(2026, 12, 2), hours=Decimal("3.5"))

    november = effort_table_for_month(year=2026, month=11)
    december = effort_table_for_month(year=2026, month=12)

    assert [(r.support_request.pk, r.reported_hours) for r in november.rows] == [(request.pk, Decimal("2"))]
    assert [(r.support_request.pk, r.reported_hours) for r in december.rows] == [(request.pk, Decimal("8.5"))]
    assert november.total_reported + december.total_reported == Decimal("10.5")


def test_report_line_outside_its_week_is_refused(cast):
    report = weekly_report_create(user=cast.engineer, week_start=dt.date(2026, 10, 12))
    request = SupportRequestFactory(customer=cast.customer, sales=cast.sales, engineer=cast.engineer)

    with pytest.raises(ValidationError) as refused:
        weekly_report_entry_add(
            report=report,
            user=cast.engineer,
            support_request=request,
            work_done="x",
            hours=2,
            work_date=dt.date(2026, 10, 19),
        )

    assert refused.value.message_dict == {"work_date": ["请选择报告所在周内的一天（2026-10-12 至 2026-10-18）。"]}
    assert report.entries.count() == 0
