"""The whole support procedure in Chromium, from the sales person's request to the technical
director closing it against the customer's signed service form, with the clocks on the page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.tests.factories import DEFAULT_PASSWORD, OrganizationFactory
from support.models import SupportRequest

from .factories import SupportRequestFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
PHONE = {"width": 390, "height": 844}


def _login(page, live_server, user) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"support-{name}.png"), full_page=True)


@contextmanager
def _phone(page) -> Iterator[object]:
    """A 390 × 844 phone in the same browser, as the customer opening the e-mail link."""
    context = page.context.browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, is_mobile=True
    )
    phone = context.new_page()
    phone.set_default_timeout(15_000)
    try:
        yield phone
    finally:
        context.close()


def _sign_on_a_phone(phone, typed_name: str, shot: str) -> None:
    """The button at the top jumps to the sign form; the consent box is at least 24 px; nothing
    pushes the page sideways."""
    phone.wait_for_selector("#jump-to-sign")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.click("#jump-to-sign")
    # The jump scrolls (smoothly) until the sign form is in view.
    consent = phone.locator("input[name=consent]")
    consent.evaluate(
        """el => new Promise(resolve => {
            const check = () => el.getBoundingClientRect().bottom <= innerHeight ? resolve() : setTimeout(check, 50);
            check();
        })"""
    )
    box = consent.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24
    phone.fill("input[name=typed_name]", typed_name)
    phone.check("input[name=consent]")
    phone.fill("input[name=password]", DEFAULT_PASSWORD)
    _shot(phone, shot)
    phone.locator("#sign-form button[type=submit], #report-sign-form button[type=submit]").click()


def test_support_request_journey_from_filing_to_closed(page, live_server, cast, certificate, tmp_path):
    base = f"{live_server.url}/support"
    request, detail = _sales_files(page, live_server, cast)
    _engineer_responds_plans_and_starts(page, live_server, cast, detail)
    _work_with_a_deviation_and_the_form_sent(page)
    _contact_signs_on_her_phone(page, live_server, cast, request, detail, tmp_path)
    _engineer_completes(page, live_server, cast, detail)
    _sales_records_the_result_and_confirms(page, live_server, cast, request, detail)
    _director_resolves_and_closes(page, live_server, cast, request, detail)
    page.goto(f"{base}/")
    _shot(page, "9-list")

    request.refresh_from_db()
    assert request.state == "closed"
    assert page.inner_text(".support-state") == "已关闭"
    _director_gives_a_second_role(page, base, cast)


def _sales_files(page, live_server, cast) -> tuple[SupportRequest, str]:
    """Sales files the request; the title builds itself from the fields."""
    base = f"{live_server.url}/support"
    _login(page, live_server, cast.sales)
    page.goto(f"{base}/new/")
    page.select_option("select[name=customer]", str(cast.customer.pk))
    page.select_option("select[name=customer_contact]", str(cast.contact.pk))
    page.select_option("select[name=mode]", "on_site")
    page.fill("textarea[name=description]", "邮件网关队列堆积，外发邮件延迟")
    title = page.input_value("input[name=title]")
    assert title.startswith("技术支持申请--江南制造--非项目--李销售--")
    assert page.inner_text("#title-preview") == title
    _shot(page, "1-filing")
    page.click("#request-submit")
    page.wait_for_selector("#request-title")
    request = SupportRequest.objects.get()
    detail = f"{base}/{request.pk}/"
    assert page.url == detail
    clocks = page.inner_text("#clocks-card")
    assert "技术支持申请响应" in clocks
    assert "技术支持：工程师响应" in clocks  # the procedure's table: 2nd working day
    assert "技术支持：开始工作" in clocks  # 4th working day
    return request, detail


def _engineer_responds_plans_and_starts(page, live_server, cast, detail: str) -> None:
    """The engineer responds, briefs with sales, writes the implementation plan and starts."""
    _login(page, live_server, cast.engineer)
    page.goto(detail)
    _shot(page, "2-filed")
    page.fill("textarea[name=accept-note]", "今天下午到现场")
    page.click("#accept-submit")
    page.wait_for_selector("#briefing-form")
    assert page.locator("#clocks-card .deadline-met").count() == 1  # the response clock is met
    page.fill("textarea[name=briefing-customer_situation]", "客户机房在苏州，网关为双机热备")
    page.fill("textarea[name=briefing-preparation]", "带上备用网关镜像和补丁")
    page.fill("textarea[name=briefing-cautions]", "工作时间内不能重启主网关")
    page.click("#briefing-submit")
    page.wait_for_selector("#briefing")
    page.click("#planning-implementation_plan")
    page.wait_for_selector("#planning-form")
    for textarea in page.query_selector_all("#planning-form textarea"):
        textarea.fill("按计划执行，已与客户确认。")
    _shot(page, "3-planning")
    page.click("#planning-submit")
    page.wait_for_selector("#start-submit:not([disabled])")
    page.click("#start-submit")
    page.wait_for_selector("#work-card")


def _work_with_a_deviation_and_the_form_sent(page) -> None:
    """During work: a deviation, an escalation, the outcome, and the service form sent to the contact."""
    page.click("#work-card details summary")
    page.select_option("select[name=deviation-kind]", "products")
    page.fill("textarea[name=deviation-description]", "客户有意加购 500 个邮箱许可证")
    page.click("#deviation-submit")
    page.wait_for_selector("#deviations li >> text=客户有意加购 500 个邮箱许可证")
    page.click("#escalations-card details summary")
    page.fill("input[name=escalation-subject]", "客户要求周末加班")
    page.fill("textarea[name=escalation-description]", "客户希望周六继续排查，需要技术总监批准加班")
    page.click("#escalation-submit")
    page.wait_for_selector("#escalations >> text=客户要求周末加班")
    page.fill("textarea[name=outcome-outcome]", "队列已清空，外发恢复正常，补丁已安装")
    page.click("#outcome-submit")
    page.wait_for_selector("#outcome")
    page.fill("textarea[name=serviceform-work_summary]", "排查队列堆积原因，清理队列，安装网关补丁")
    page.fill("input[name=serviceform-hours]", "6")
    page.click("#service-form-submit")
    page.wait_for_selector("#service-form-state")
    assert page.locator("#clocks-card .deadline-met").count() == 3  # response, engineer's response, work start
    _shot(page, "4-in-progress")


def _contact_signs_on_her_phone(page, live_server, cast, request: SupportRequest, detail: str, tmp_path) -> None:
    """The customer contact finds the form in "waiting for my signature", signs it on her phone, and
    the signed PDF verifies."""
    with _phone(page) as phone:
        _login(phone, live_server, cast.contact)
        assert f"技术支持服务单 {request.reference}" in phone.inner_text("#waiting-signature")
        _shot(phone, "4b-contact-dashboard-phone")
        phone.goto(detail)
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        assert "客户机房在苏州" not in phone.content()
        assert "客户有意加购" not in phone.content()
        phone.click("#service-form-sign")
        _sign_on_a_phone(phone, "钱客户", "5-sign-phone")
        phone.wait_for_url(f"{detail}#sign-form")  # the redirect keeps the jump's fragment
        phone.wait_for_selector("#service-form-state")
    _login(page, live_server, cast.contact)
    page.goto(detail)
    page.wait_for_selector("#service-form-pdf", timeout=60_000)
    _shot(page, "6-customer-signed")
    with page.expect_download() as download_info:
        page.click("#service-form-pdf")
    signed = tmp_path / "service-form.pdf"
    download_info.value.save_as(signed)
    page.goto(f"{live_server.url}/documents/verify/")
    page.set_input_files("input[name=file]", str(signed))
    page.click("#verify-submit")
    assert request.reference in page.inner_text("#verdict")


def _engineer_completes(page, live_server, cast, detail: str) -> None:
    """The engineer confirms completion: sales now has one working day."""
    _login(page, live_server, cast.engineer)
    page.goto(detail)
    assert "工程师完成确认" in page.inner_text("#clocks-card")
    page.click("#complete-submit")
    page.wait_for_selector("#clocks-card >> text=销售确认技术支持完成")
    _shot(page, "7-completed")


def _sales_records_the_result_and_confirms(page, live_server, cast, request: SupportRequest, detail: str) -> None:
    """Sales sees what waits on the dashboard, records the deviation's agreed result, and confirms."""
    _login(page, live_server, cast.sales)
    waiting = page.inner_text("#support-waiting-sales")
    assert request.reference in waiting
    assert "偏差：请记录商定结果" in waiting
    _shot(page, "7b-sales-dashboard")
    page.goto(detail)
    page.click("#deviations details summary")
    page.check("#deviations input[value=changed_scope]")
    page.fill("#deviations textarea[name=devresult-note]", "客户同意另行签订 500 个许可证的合同")
    page.click("#deviations .deviation-result-form button")
    page.wait_for_selector("#deviations .deviation-result")
    assert "变更范围" in page.inner_text("#deviations")
    page.click("#sales-confirm-submit")
    page.wait_for_selector("#confirmation")


def _director_resolves_and_closes(page, live_server, cast, request: SupportRequest, detail: str) -> None:
    """The technical director resolves the escalation, then closes against the signed form."""
    _login(page, live_server, cast.technical_director)
    page.goto(detail)
    page.fill("#escalations textarea[name=resolve-resolution]", "同意周六加班，按加班工时记录")
    page.click("#escalations .resolve-form button")
    page.wait_for_selector("#escalations >> text=同意周六加班，按加班工时记录")
    close_without_check = page.locator("#close-submit")
    close_without_check.click()
    page.wait_for_selector("#close-form .invalid-feedback, #close-form .alert")
    assert "请确认您已核对签署的服务单。" in page.inner_text("#close-form")
    page.check("input[name=close-form_checked]")
    page.fill("textarea[name=close-note]", "已核对签字服务单")
    page.click("#close-submit")
    page.wait_for_selector("#closed")
    _shot(page, "8-closed")
    page.click("#archive-index-link")
    archive = page.inner_text("body")
    assert f"{request.reference}-service-form-signed.pdf" in archive
    assert "同意周六加班，按加班工时记录" in archive  # the escalation and its resolution are filed
    _shot(page, "8b-archive-index")


def _director_gives_a_second_role(page, base: str, cast) -> None:
    """The technical director gives the engineer a second role on one screen."""
    page.goto(f"{base}/settings/")
    page.click(f"#person-{cast.engineer.pk} a")
    page.check("input[name=roles][value=sales]")
    page.click("#roles-submit")
    page.wait_for_selector(f"#person-{cast.engineer.pk} >> text=销售")
    _shot(page, "10-settings")


def test_emergency_work_then_the_formal_request(page, live_server, cast):
    """§6: the technical director approves emergency work before any request; sales files the
    formal request afterwards from the dashboard, and the work goes on."""
    _login(page, live_server, cast.technical_director)
    page.goto(f"{live_server.url}/support/")
    page.click("#emergency-new")
    page.select_option("select[name=customer]", str(cast.customer.pk))
    page.select_option("select[name=sales]", str(cast.sales.pk))
    page.select_option("select[name=engineer]", str(cast.engineer.pk))
    page.select_option("select[name=mode]", "on_site")
    page.fill("textarea[name=description]", "邮件系统全面中断")
    page.fill("textarea[name=reason]", "客户全公司无法收发邮件")
    page.click("#emergency-submit")
    page.wait_for_selector("#emergency-banner")
    _shot(page, "emergency")

    _login(page, live_server, cast.sales)
    page.click("#support-waiting-sales a")
    page.wait_for_selector("#formal-form")
    page.click("#formal-submit")
    page.wait_for_selector("#request-title")
    request = SupportRequest.objects.get()
    assert request.state == "in_progress"
    assert page.inner_text("#request-title") == f"{request.reference} {request.title}"
    assert request.title.startswith("技术支持申请--江南制造--非项目--李销售--")
    _shot(page, "emergency-filed")


def test_weekly_report_split_per_customer_signed_and_the_monthly_effort(page, live_server, cast, tmp_path):
    """The week's lines are for two customers: the engineer splits the report, one customer's
    contact signs hers on a phone, sales signs the other; the month's effort adds both up."""
    request = SupportRequestFactory(
        customer=cast.customer, sales=cast.sales, engineer=cast.engineer, customer_contact=cast.contact
    )
    other = SupportRequestFactory(
        customer=OrganizationFactory(name="镇海石化有限公司", short_name="镇海石化"),
        sales=cast.sales,
        engineer=cast.engineer,
    )
    today = timezone.localdate()
    report_url, other_url = _engineer_reports_the_week_and_splits(page, live_server, cast, request, other, today)
    _contact_and_sales_sign(page, live_server, cast, report_url, other_url)
    _director_sets_effort_and_exports_the_month(page, live_server, cast, request, today, tmp_path)


def _engineer_reports_the_week_and_splits(page, live_server, cast, request, other, today) -> tuple[str, str]:
    """The engineer reports the week's work for both customers, splits the report and sends both."""
    _login(page, live_server, cast.engineer)
    page.goto(f"{live_server.url}/support/reports/")
    page.fill("input[name=week_start]", today.isoformat())
    page.click("#report-submit")
    page.wait_for_selector("#entry-form")
    for support_request, work, hours in (
        (request, "现场排查邮件网关，清理队列", "7.5"),
        (other, "远程检查防火墙", "2"),
    ):
        page.select_option("select[name=entry-support_request]", str(support_request.pk))
        page.fill("textarea[name=entry-work_done]", work)
        page.fill("input[name=entry-hours]", hours)
        page.click("#entry-submit")
        page.wait_for_selector(f"#report-lines >> text={work}")
    assert "条目涉及 2 个客户：整份周报只能由销售签字。" in page.inner_text("#report-split")
    page.click("#report-split-button")
    page.wait_for_selector("#report-customer")
    assert page.inner_text("#report-customer") == "江南制造"
    assert page.inner_text("#report-total") == "7.5"
    page.select_option("select[name=submit-signer]", str(cast.contact.pk))
    page.click("#report-send")
    page.wait_for_selector("#report-withdraw")
    report_url = page.url
    page.goto(f"{live_server.url}/support/reports/")
    page.click("#report-table tr:has-text('镇海石化') a")
    page.wait_for_selector("#report-customer >> text=镇海石化")
    page.select_option("select[name=submit-signer]", str(cast.sales.pk))
    page.click("#report-send")
    page.wait_for_selector("#report-withdraw")
    other_url = page.url
    return report_url, other_url


def _contact_and_sales_sign(page, live_server, cast, report_url: str, other_url: str) -> None:
    """The customer contact signs her customer's lines on her phone; sales signs the other report."""
    with _phone(page) as phone:
        _login(phone, live_server, cast.contact)
        phone.goto(report_url)
        _sign_on_a_phone(phone, "钱客户", "report-sign-phone")
        phone.wait_for_selector("#report-signature")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    _login(page, live_server, cast.sales)
    page.goto(other_url)
    _shot(page, "report-sign")
    page.fill("input[name=typed_name]", "李销售")
    page.check("input[name=consent]")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#report-sign")
    page.wait_for_selector("#report-signature")


def _director_sets_effort_and_exports_the_month(page, live_server, cast, request, today, tmp_path) -> None:
    """The technical director sets the effort and exports the month: both reports count."""
    _login(page, live_server, cast.technical_director)
    page.goto(f"{live_server.url}/support/{request.pk}/")
    page.click("#effort-card details summary")
    page.select_option("select[name=effort-engineer]", str(cast.engineer.pk))
    page.fill("input[name=effort-estimated_hours]", "8")
    page.fill("input[name=effort-accounted_hours]", "7.5")
    page.click("#effort-submit")
    page.wait_for_selector("#effort >> text=7.5")
    monday = today - dt.timedelta(days=today.weekday())
    page.goto(f"{live_server.url}/support/effort/?month={monday:%Y-%m}")
    assert page.inner_text("#total-reported") == "9.5"
    assert page.inner_text("#total-estimated") == "8.0"
    _shot(page, "effort")
    with page.expect_download() as download_info:
        page.click("#effort-export")
    path = tmp_path / "effort.xlsx"
    download_info.value.save_as(path)
    rows = list(load_workbook(path).active.iter_rows(values_only=True))
    assert rows[-1][4:7] == (9.5, 8.0, 7.5)
