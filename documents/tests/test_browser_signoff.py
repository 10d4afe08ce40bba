"""The sign-off journey in Chromium: draft, submit, return, resubmit, sign, download, verify."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD
from projects.tests.factories import ProjectFactory

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


def test_requirements_confirmation_signoff_journey(page, live_server, certificate, tmp_path):
    project = ProjectFactory(code="HX-2026-042", name="江南制造邮件系统升级")
    pm, lead = project.vendor_pm, project.customer_lead
    base = f"{live_server.url}/projects/{project.code}/deliverables/requirements_confirmation"

    _pm_drafts_version_1(page, live_server, pm, project, base)
    _lead_returns_it(page, live_server, lead, base)
    _pm_submits_version_2(page, live_server, pm, base)
    signed = _lead_signs_version_2(page, live_server, lead, base, tmp_path)

    # Anyone can verify the downloaded file.
    _logout(page)
    page.goto(f"{live_server.url}/documents/verify/")
    page.set_input_files("input[name=file]", str(signed))
    page.click("#verify-submit")
    verdict = page.inner_text("#verdict")
    assert "有效：文件完整，且由本单位签章。" in verdict
    assert "HX-2026-042" in verdict


def _pm_drafts_version_1(page, live_server, pm, project, base) -> None:
    """The vendor PM drafts version 1 and submits it."""
    _login(page, live_server, pm)
    page.goto(f"{live_server.url}/projects/{project.code}/deliverables/requirements_confirmation/")
    page.click("#start-draft")
    page.wait_for_url(f"{base}/v1/edit/")
    page.select_option("select[name=items-0-kind]", "requirement")
    page.fill("textarea[name=items-0-text]", "完成邮件系统部署，支持 5 万个邮箱账户。")
    page.click("[data-formset-add=items]")
    page.select_option("select[name=items-1-kind]", "acceptance_criterion")
    page.fill("textarea[name=items-1-text]", "系统稳定运行一个月，无一级故障。")
    page.click("#save-submit")
    page.wait_for_url(f"{base}/v1/")
    assert "待签署" in page.inner_text("h1 + .badge, .badge")
    _logout(page)


def _lead_returns_it(page, live_server, lead, base) -> None:
    """The customer lead returns it with a comment."""
    _login(page, live_server, lead)
    page.goto(f"{live_server.url}/documents/waiting/")
    page.click("#waiting a")
    page.wait_for_url(f"{base}/v1/sign/")
    page.fill("textarea[name=comment]", "请补充数据迁移的要求。")
    page.click("#return-submit")
    page.wait_for_url(f"{base}/v1/")
    assert "请补充数据迁移的要求。" in page.content()
    _logout(page)


def _pm_submits_version_2(page, live_server, pm, base) -> None:
    """The PM continues in version 2 and submits it."""
    _login(page, live_server, pm)
    page.goto(f"{base}/v2/edit/")
    page.click("[data-formset-add=items]")
    page.select_option("select[name=items-2-kind]", "requirement")
    page.fill("textarea[name=items-2-text]", "历史邮件完整迁移，迁移期间中断不超过 4 小时。")
    page.click("#save-submit")
    page.wait_for_url(f"{base}/v2/")
    _logout(page)


def _lead_signs_version_2(page, live_server, lead, base, tmp_path):
    """The lead signs version 2: typed name, consent, password."""
    _login(page, live_server, lead)
    page.goto(f"{base}/v2/sign/")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "signoff-review.png"), full_page=True)
    page.fill("input[name=typed_name]", lead.get_full_name())
    page.check("input[name=consent]")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#sign-submit")
    page.wait_for_url(f"{base}/v2/")
    page.wait_for_selector("#download-pdf", timeout=60_000)
    page.screenshot(path=str(SCREENSHOTS / "signoff-confirmed.png"), full_page=True)

    with page.expect_download() as download_info:
        page.click("#download-pdf")
    signed = tmp_path / "signed.pdf"
    download_info.value.save_as(signed)
    return signed
