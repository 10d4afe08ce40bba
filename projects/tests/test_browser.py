"""End-to-end in Debian's Chromium: a vendor PM sets up a project and its customer lead."""

from __future__ import annotations

import datetime
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core import mail

from accounts.tests.factories import DEFAULT_PASSWORD, OrganizationFactory, VendorUserFactory
from projects.models import Project

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_vendor_pm_creates_project_adds_customer_lead_and_sees_the_gate(page, live_server):
    pm = VendorUserFactory(username="wangpm", first_name="王建国", profile__position="项目经理")
    OrganizationFactory(name="江南制造集团股份有限公司", short_name="江南制造")
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    _log_in(page, live_server, pm)
    _create_project(page, live_server)
    _add_customer_lead(page, live_server)
    assert "李静" in page.locator("#contact-directory").inner_text()

    page.click("text=概览")
    page.wait_for_url(f"{live_server.url}/projects/HX-2026-001/")
    missing = page.locator("#gate-items li.is-missing").all_inner_texts()
    page.screenshot(path=str(SCREENSHOTS / "project-zh.png"), full_page=True)

    assert missing == [
        "已召开项目启动会",
        "项目组包含客户方技术负责人",
        "项目组包含售前顾问",
        "项目组包含交付顾问",
        "项目组包含销售经理",
        "项目组织通讯录已经客户方负责人确认",
    ]
    assert page.locator("#gate-items p").all_inner_texts() == ["尚未满足：", "已满足："]
    assert page.locator("#gate-missing li.is-met").count() == 0
    assert page.locator("#gate-met li.is-met").all_inner_texts() == [
        "已指定交付方项目经理",
        "已指定客户方项目负责人",
        "项目组包含客户方项目经理",
        "项目组包含交付方项目经理",
    ]
    assert page.locator(".lifecycle-step.is-current .lifecycle-name").inner_text() == "1. 启动"
    assert page.locator("#advance-form button").is_disabled()
    project = Project.objects.get(code="HX-2026-001")
    assert (project.customer_lead.first_name, project.contract_date) == ("李静", datetime.date(2026, 3, 15))
    assert [message.to for message in mail.outbox] == [["li.jing@customer.example"]]
    assert requested_hosts == {urlparse(live_server.url).netloc}


def _log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _create_project(page, live_server) -> None:
    """The create form, filled in and screenshotted; lands on the new project's team page."""
    page.click("text=新建项目")
    page.fill("#id_code", "HX-2026-001")
    page.fill("#id_name", "江南制造集团邮件系统升级项目")
    page.select_option("#id_customer", label="江南制造集团股份有限公司")
    page.fill("#id_contract_number", "JN-IT-2026-017")
    page.fill("#id_contract_date", "2026-03-15")
    page.check("input[name=services][value=upgrade]")
    page.check("input[name=services][value=data_migration]")
    page.select_option("#id_golive_basis", "major_upgrade")
    page.fill("#id_planned_start", "2026-04-01")
    page.fill("#id_planned_end", "2026-08-31")
    page.screenshot(path=str(SCREENSHOTS / "project-create-zh.png"), full_page=True)
    page.click("#project-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/HX-2026-001/team/")


def _add_customer_lead(page, live_server) -> None:
    """The customer's PM, added as the customer lead (an invitation is mailed)."""
    page.click("#member-add")
    page.select_option("#id_role", "customer_pm")
    page.fill("#id_full_name", "李静")
    page.fill("#id_email", "li.jing@customer.example")
    page.fill("#id_position", "信息中心主任")
    page.fill("#id_mobile", "13900000002")
    page.check("#id_make_customer_lead")
    page.click("#member-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/projects/HX-2026-001/team/")
