"""A customer lead opens the e-mail link on a phone (390 × 844): the plan's Gantt labels are readable,
nothing pushes the page sideways, a sign button at the top jumps to the sign form, and the consent
box is at least 24 px."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from documents.services import RequestMeta, deliverable_get_or_create, version_draft_create, version_submit
from projects.tests.factories import ProjectFactory

from .test_plan import PLAN

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def _login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"phone-{name}.png"), full_page=True)


def test_plan_on_a_phone(phone, live_server):
    project = ProjectFactory(code="HX-2026-090", name="江南制造邮件系统升级")
    pm, lead = project.vendor_pm, project.customer_lead
    plan = {
        **PLAN,
        "milestones": [{**PLAN["milestones"][1], "name": "部署与迁移（含历史邮件与通讯录）"}, *PLAN["milestones"]],
    }
    deliverable = deliverable_get_or_create(project=project, code="project_plan")
    version = version_draft_create(deliverable=deliverable, user=pm, meta=RequestMeta(), content=plan)
    version_submit(version=version, user=pm, meta=RequestMeta())

    _login(phone, live_server, lead)
    phone.goto(f"{live_server.url}/projects/{project.code}/deliverables/project_plan/v1/")
    phone.wait_for_selector("#gantt")
    _shot(phone, "plan")

    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    labels = phone.locator(".gantt-label")
    assert labels.count() == 5
    for index in range(labels.count()):
        # Each label in full (not cut off) on its own line, its bar the width of the card below it.
        label = labels.nth(index)
        assert label.evaluate("el => el.scrollWidth <= el.clientWidth")
        assert label.bounding_box()["width"] >= 300
    assert phone.locator(".gantt-track").first.bounding_box()["width"] >= 300

    sign = phone.locator("#sign-at-top")
    assert sign.bounding_box()["y"] < PHONE["height"]  # on the first screen
    sign.click()
    phone.wait_for_url(f"{live_server.url}/projects/{project.code}/deliverables/project_plan/v1/sign/#sign-form")
    form = phone.locator("#sign-form").bounding_box()
    assert 0 <= form["y"] < PHONE["height"]  # the page opened at the sign form
    consent = phone.locator("input[name=consent]").bounding_box()
    assert consent["width"] >= 24 and consent["height"] >= 24
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "plan-sign")

    # The plan's wide tables scroll inside their frame, not the page.
    phone.go_back()
    for table in phone.locator(".version-content table:not(.fields-table)").all():
        assert table.evaluate("el => getComputedStyle(el.parentElement).overflowX") == "auto"

    # The project list's wide table scrolls inside its card, not the page.
    phone.goto(f"{live_server.url}/projects/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _shot(phone, "project-list")
