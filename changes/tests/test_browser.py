"""A 4.2 change in Chromium, as the two leads run it: the customer lead files the letter, the
vendor PM investigates and accepts within the 5 working days, drafts the new requirements
confirmation, the customer lead signs it, and the change shows implemented."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.enums import ChangeState
from changes.models import ChangeRequest
from projects.tests.factories import ProjectFactory

from .factories import deliverable_confirmed, in_thread

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _login(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _logout(page) -> None:
    page.context.clear_cookies()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"changes-{name}.png"), full_page=True)


def test_customer_lead_files_a_4_2_change_and_sees_it_implemented(page, live_server, certificate):
    project = ProjectFactory(code="HX-2026-088", name="江南制造邮件系统升级")
    pm, lead = project.vendor_pm, project.customer_lead
    in_thread(deliverable_confirmed, project, "requirements_confirmation")
    changes_url = f"{live_server.url}/projects/{project.code}/changes"
    requirements_url = f"{live_server.url}/projects/{project.code}/deliverables/requirements_confirmation"

    _lead_files_the_letter(page, live_server, lead, changes_url)
    _pm_reviews_and_accepts(page, live_server, pm, changes_url)
    _pm_drafts_the_new_confirmation(page, live_server, changes_url, requirements_url)
    _lead_signs_and_the_change_is_implemented(page, live_server, lead, changes_url, requirements_url)

    assert ChangeRequest.objects.get(project=project, number=1).state == ChangeState.IMPLEMENTED
    page.goto(f"{changes_url}/")
    _shot(page, "list")


def _lead_files_the_letter(page, live_server, lead, changes_url) -> None:
    """The customer lead files a 4.2 letter: the form offers only the kinds a customer lead may file."""
    _login(page, live_server, lead)
    page.goto(f"{changes_url}/")
    page.click("#change-new")
    page.wait_for_url(f"{changes_url}/new/")
    assert page.locator("input[name=kind]").evaluate_all("els => els.map(e => e.value)") == ["4.2", "4.3", "4.4"]
    page.check("input[name=kind][value='4.2']")
    page.fill("input[name=title]", "归档策略不符合合规要求")
    page.fill("textarea[name=reason]", "交付的邮件归档策略只保存 3 年，不符合我方合规要求。")
    page.fill("textarea[name=requirements_change]", "邮件归档保存期改为 5 年。")
    _shot(page, "new")
    page.click("#change-submit")
    page.wait_for_url(f"{changes_url}/1/")
    assert "已提交" in page.inner_text("#change-header")
    deadline = page.inner_text("#deadlines")
    assert "答复变更说明函" in deadline and "个工作日" in deadline
    _shot(page, "filed")
    _logout(page)


def _pm_reviews_and_accepts(page, live_server, pm, changes_url) -> None:
    """The vendor PM starts the internal review and accepts within the window."""
    _login(page, live_server, pm)
    page.goto(f"{changes_url}/1/")
    page.click("#review-start")
    page.wait_for_url(f"{changes_url}/1/")
    assert "审查中" in page.inner_text("#change-header")
    page.check("input[name=decision][value=accept]")
    page.fill("textarea[name=findings]", "部署脚本沿用了默认的 3 年归档策略。")
    page.fill("textarea[name=reasons]", "确属交付质量问题，同意按 5 年调整。")
    _shot(page, "reply-form")
    page.click("#reply-submit")
    page.wait_for_url(f"{changes_url}/1/")
    assert "接受本变更。" in page.inner_text("#reply")
    assert "按期答复" in page.inner_text("#reply")
    assert "已按期完成" in page.inner_text("#deadlines")


def _pm_drafts_the_new_confirmation(page, live_server, changes_url, requirements_url) -> None:
    """He drafts the new requirements confirmation from the letter and submits it for signature."""
    page.click("#draft-requirements_confirmation")
    page.wait_for_url(f"{requirements_url}/v2/")
    page.goto(f"{requirements_url}/v2/edit/")
    page.click("[data-formset-add=items]")
    page.select_option("select[name=items-1-kind]", "requirement")
    page.fill("textarea[name=items-1-text]", "邮件归档保存期为 5 年（变更 #1）。")
    page.click("#save-submit")
    page.wait_for_url(f"{requirements_url}/v2/")
    page.goto(f"{changes_url}/1/")
    assert "实施中" in page.inner_text("#change-header")
    _shot(page, "implementing")
    _logout(page)


def _lead_signs_and_the_change_is_implemented(page, live_server, lead, changes_url, requirements_url) -> None:
    """The customer lead signs version 2; the change is implemented."""
    _login(page, live_server, lead)
    page.goto(f"{requirements_url}/v2/sign/")
    page.fill("input[name=typed_name]", lead.get_full_name())
    page.check("input[name=consent]")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#sign-submit")
    page.wait_for_url(f"{requirements_url}/v2/")
    page.goto(f"{changes_url}/1/")
    assert "已实施" in page.inner_text("#change-header")
    assert "v2" in page.inner_text("#change-versions")
    timeline = page.inner_text("#timeline")
    for step in ("提交变更说明函", "开始内部审查", "已接受", "起草交付物新版本", "交付物新版本已确认", "已实施"):
        assert step in timeline
    _shot(page, "implemented")
