"""From the implementation delivery report to a signed go-live confirmation and a closed project."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD
from projects.enums import Phase
from projects.models import Project
from projects.tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def _login(page, live_server, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _sign(page, user) -> None:
    page.fill("input[name=typed_name]", user.get_full_name())
    page.check("input[name=consent]")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#sign-submit")


def test_closing_journey(page, live_server, certificate):
    project = ProjectFactory(code="HX-2026-077", name="江南制造邮件系统上线", golive_applies=True)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING)  # earlier gates are tested elsewhere
    pm, lead = project.vendor_pm, project.customer_lead
    docs = f"{live_server.url}/projects/{project.code}/deliverables"

    _pm_issues_the_implementation_report(page, live_server, pm, docs)
    _lead_signs_it_and_confirms_the_password_change(page, live_server, lead, project, docs)
    today = _pm_issues_the_notice_and_records_the_golive(page, live_server, pm, project, docs)
    _lead_signs_the_golive_confirmation_on_her_phone(page, live_server, lead, project, docs, today)
    _post_golive(page, live_server, project, docs)

    # The PM closes the project: the closing gate passes.
    _login(page, live_server, pm)
    page.goto(f"{live_server.url}/projects/{project.code}/")
    page.click("#advance-form button")
    page.wait_for_load_state()
    page.screenshot(path=str(SCREENSHOTS / "project-closed.png"), full_page=True)
    project.refresh_from_db()
    assert project.phase == Phase.CLOSED
    assert project.golive_on == today


def _phone_context(page):
    return page.context.browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 390, "height": 844}, is_mobile=True
    )


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def _post_golive(page, live_server, project, docs) -> None:
    """§2 post-go-live: a problem reported by the customer lead on her phone, resolved by the PM,
    closed by the lead; the acceptance meeting; the closing gate lists what is missing until the
    summary report and the handover record are confirmed (internal)."""
    pm, lead = project.vendor_pm, project.customer_lead
    problems = f"{live_server.url}/projects/{project.code}/problems"

    # The customer lead reports a problem from her phone.
    phone = _phone_context(page)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    _login(mobile, live_server, lead)
    mobile.goto(f"{problems}/")
    mobile.fill("textarea[name=description]", "部分用户无法登录网页邮箱")
    mobile.click("#problem-form button")
    mobile.wait_for_selector("text=部分用户无法登录网页邮箱")
    _shot(mobile, "phone-problem-log")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390

    # The PM cannot resolve without a resolution and a result; then resolves it.
    _login(page, live_server, pm)
    page.goto(f"{problems}/1/")
    page.fill("textarea[name=cause]", "证书过期")
    page.click("button[value=resolve]")
    page.wait_for_selector(".alert-danger, .alert-warning, .alert")
    assert "标记为已解决需要填写解决方案和处理结果。" in page.content()
    page.fill("textarea[name=cause]", "证书过期")
    page.fill("textarea[name=resolution]", "更新服务器证书")
    page.fill("textarea[name=result]", "用户恢复登录")
    page.click("button[value=resolve]")
    page.wait_for_selector("#problem-history >> text=已解决")

    # The project cannot close yet: the gate says what is missing.
    page.goto(f"{live_server.url}/projects/{project.code}/")
    gate = page.content()
    assert "项目总结报告已确认（内部）" in gate
    assert "未关闭的运行问题已列入已确认的交接记录（未列入：#1）" in gate
    _shot(page, "closing-gate-missing")

    # On her phone the lead closes the resolved problem; the history shows every step.
    mobile.goto(f"{problems}/1/")
    mobile.click("button[value=close]")
    mobile.wait_for_selector("#problem-history >> text=已关闭")
    _shot(mobile, "phone-problem-history")
    phone.close()

    _acceptance_and_closing_records(page, live_server, project, docs)


def _acceptance_and_closing_records(page, live_server, project, docs) -> None:
    """The acceptance meeting is recorded; the summary report and the handover record are confirmed."""
    pm = project.vendor_pm
    page.goto(f"{live_server.url}/projects/{project.code}/golive/")
    page.fill("input[name=meeting-held_on]", str(timezone.localdate()))
    page.fill("input[name=meeting-place]", "客户总部 3 楼会议室")
    page.fill("textarea[name=meeting-attendees]", "李静、周强；王建国、刘洋")
    page.click("#meeting-submit")
    page.wait_for_selector("#acceptance-meeting >> text=客户总部 3 楼会议室")
    _shot(page, "golive-acceptance")
    _internal_record(
        page,
        pm,
        f"{docs}/project_summary_report/",
        {
            "background": "邮件系统升级",
            "review": "按计划完成",
            "went_right": "沟通顺畅",
            "went_wrong": "证书到期未提醒",
        },
    )
    _internal_record(
        page,
        pm,
        f"{docs}/handover_record/",
        {"documents": "实施交付报告、运行问题记录", "system_status": "运行正常", "code_version": "v5.2"},
    )
    page.goto(f"{live_server.url}/projects/{project.code}/")
    _shot(page, "closing-gate-met")


def _internal_record(page, pm, url: str, fields: dict) -> None:
    page.goto(url)
    page.click("#start-draft")
    for name, value in fields.items():
        page.fill(f"[name=f-{name}]", value)
    page.click("#save-submit")
    page.wait_for_url(url + "v1/")
    page.goto(url + "v1/sign/")
    _sign(page, pm)
    page.wait_for_url(url + "v1/")


def _pm_issues_the_implementation_report(page, live_server, pm, docs) -> None:
    """The PM issues the implementation delivery report, with an initial password."""
    _login(page, live_server, pm)
    page.goto(f"{docs}/implementation_report/")
    page.click("#start-draft")
    page.fill("textarea[name=f-architecture]", "双机热备，负载均衡 + 两台邮件服务器。")
    page.fill("input[name=accounts-0-system]", "邮件管理控制台")
    page.fill("input[name=accounts-0-username]", "admin")
    page.fill("input[name=accounts-0-password]", "Init-Pass-2026")
    page.click("#save-submit")
    page.wait_for_url(f"{docs}/implementation_report/v1/")
    assert "Init-Pass-2026" not in page.content()


def _lead_signs_it_and_confirms_the_password_change(page, live_server, lead, project, docs) -> None:
    """The customer lead signs it, sees the reminder, and confirms the passwords were changed."""
    _login(page, live_server, lead)
    page.goto(f"{docs}/implementation_report/v1/sign/")
    _sign(page, lead)
    page.wait_for_url(f"{docs}/implementation_report/v1/")
    page.goto(f"{live_server.url}/projects/{project.code}/")
    assert page.is_visible("#password-change-pending")
    page.goto(f"{docs}/implementation_report/v1/")
    page.click("#password-reminder button")
    page.goto(f"{live_server.url}/projects/{project.code}/")
    assert not page.is_visible("#password-change-pending")


def _pm_issues_the_notice_and_records_the_golive(page, live_server, pm, project, docs):
    """The PM issues the go-live notice, then records the actual go-live."""
    _login(page, live_server, pm)
    page.goto(f"{live_server.url}/projects/{project.code}/golive/")
    today = timezone.localdate()
    page.fill("input[name=notice-planned_start]", str(today + dt.timedelta(days=1)))
    page.click("#notice-form button")
    page.wait_for_url(f"{live_server.url}/projects/{project.code}/golive/")
    assert page.is_visible(".card.border-primary")
    page.fill("input[name=actual-went_live_on]", str(today))
    page.fill("textarea[name=actual-statement]", "系统已按需求确认单正式运行。")
    page.click("#actual-form button")
    page.wait_for_url(f"{docs}/golive_confirmation/v1/")
    return today


def _lead_signs_the_golive_confirmation_on_her_phone(page, live_server, lead, project, docs, today) -> None:
    """The lead signs the go-live confirmation on her phone, from the e-mail link: a button at the top
    jumps to the sign form, the consent box is at least 24 px, nothing overflows sideways."""
    phone = _phone_context(page)
    mobile = phone.new_page()
    mobile.set_default_timeout(15_000)
    _login(mobile, live_server, lead)
    mobile.goto(f"{docs}/golive_confirmation/v1/sign/")
    assert mobile.is_visible("#jump-to-sign")
    assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(mobile, "phone-sign-top")
    mobile.click("#jump-to-sign")
    consent = mobile.locator("input[name=consent]").bounding_box()
    assert consent["width"] >= 24 and consent["height"] >= 24
    _shot(mobile, "phone-sign-form")
    _sign(mobile, lead)
    mobile.wait_for_url(f"{docs}/golive_confirmation/v1/")
    phone.close()
    _login(page, live_server, lead)
    page.goto(f"{live_server.url}/projects/{project.code}/golive/")
    assert f"已于 {today:%Y-%m-%d} 上线。" in page.inner_text("#golive-done")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "golive-live.png"), full_page=True)
