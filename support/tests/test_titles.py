"""§6: the request title 技术支持申请--<customer>--<project>--<sales name>--<date>; others are refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import OrganizationFactory, VendorUserFactory
from projects.tests.factories import ProjectFactory
from support.models import SupportRequest
from support.services import support_request_file
from support.titles import TitleParts, title_problems

from .conftest import META

pytestmark = pytest.mark.django_db

SH = dt.timezone(dt.timedelta(hours=8))
DAY = dt.date(2026, 9, 21)


@pytest.fixture
def parts(db) -> TitleParts:
    customer = OrganizationFactory(name="江南制造股份有限公司", short_name="江南制造")
    sales = VendorUserFactory(first_name="李销售")
    return TitleParts.build(customer=customer, project=None, sales=sales, day=DAY)


def test_title_without_project_uses_the_placeholder(parts):
    assert parts.title == "技术支持申请--江南制造--非项目--李销售--2026-09-21"


def test_title_with_project_uses_its_name(db):
    project = ProjectFactory(name="邮件系统升级", customer=OrganizationFactory(short_name="", name="苏州电子"))
    sales = VendorUserFactory(first_name="", username="sales-li")

    parts = TitleParts.build(customer=project.customer, project=project, sales=sales, day=DAY)

    assert parts.title == "技术支持申请--苏州电子--邮件系统升级--sales-li--2026-09-21"


def test_title_exactly_right_has_no_problems(parts):
    assert title_problems("  技术支持申请--江南制造--非项目--李销售--2026-09-21 ", expected=parts) == []


@pytest.mark.parametrize(
    ("title", "problem"),
    [
        (
            "支持申请--江南制造--非项目--李销售--2026-09-21",
            "The title must start with “技术支持申请”, not “支持申请”.",
        ),
        (
            "技术支持申请--江南--非项目--李销售--2026-09-21",
            "The customer part is “江南”; it must be the customer's short name “江南制造”.",
        ),
        (
            "技术支持申请--江南制造--无--李销售--2026-09-21",
            "The project part is “无”; it must be the project's name, or “非项目” without a project: “非项目”.",
        ),
        (
            "技术支持申请--江南制造--非项目--王销售--2026-09-21",
            "The sales part is “王销售”; it must be the full name of the sales person filing it: “李销售”.",
        ),
        (
            "技术支持申请--江南制造--非项目--李销售--2026/09/21",
            "The date part “2026/09/21” must be written YYYY-MM-DD: “2026-09-21”.",
        ),
        (
            "技术支持申请--江南制造--非项目--李销售--2026-09-20",
            "The date part is “2026-09-20”; it must be the filing date “2026-09-21”.",
        ),
    ],
)
def test_title_names_the_wrong_part(parts, title, problem):
    with translation.override("en"):
        assert title_problems(title, expected=parts) == [problem]


def test_title_with_missing_parts_explains_the_format(parts):
    with translation.override("en"):
        problems = title_problems("技术支持申请--江南制造--李销售", expected=parts)

    assert problems == [
        "The title must have five parts separated by “--”: 技术支持申请, customer, project, sales name, date "
        "(it has 3). Expected: 技术支持申请--江南制造--非项目--李销售--2026-09-21"
    ]


def test_title_problem_is_translated_into_chinese(parts):
    with translation.override("zh-hans"):
        problems = title_problems("技术支持申请--江南--非项目--李销售--2026-09-21", expected=parts)

    assert problems == ["客户部分为“江南”，应为客户简称“江南制造”。"]


def test_service_refuses_a_wrong_title_and_files_nothing(cast):
    with time_machine.travel(dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH), tick=False):
        with pytest.raises(ValidationError) as refused:
            support_request_file(
                user=cast.sales,
                meta=META,
                customer=cast.customer,
                mode="remote",
                description="邮件无法收发",
                title="技术支持--江南制造--非项目--李销售--2026-09-21",
            )

    assert list(refused.value.message_dict) == ["title"]
    assert SupportRequest.objects.count() == 0


def test_filing_page_shows_the_title_error_and_files_nothing(client, cast):
    client.force_login(cast.sales)
    with time_machine.travel(dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH), tick=False):
        response = client.post(
            reverse("support:create"),
            {
                "customer": cast.customer.pk,
                "mode": "remote",
                "description": "邮件无法收发",
                "title": "技术支持申请--江南制造--非项目--李销售--2026-09-22",
            },
        )

    assert response.status_code == 200
    assert "日期部分为“2026-09-22”，应为申请日期“2026-09-21”。" in response.content.decode()
    assert SupportRequest.objects.count() == 0


def test_filing_page_builds_the_title_when_left_empty(client, cast):
    client.force_login(cast.sales)
    with time_machine.travel(dt.datetime(2026, 9, 21, 10, 0, tzinfo=SH), tick=False):
        response = client.post(
            reverse("support:create"),
            {"customer": cast.customer.pk, "mode": "remote", "description": "邮件无法收发", "title": ""},
        )

    request = SupportRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("support:detail", args=[request.pk])
    assert request.title == "技术支持申请--江南制造--非项目--李销售--2026-09-21"
