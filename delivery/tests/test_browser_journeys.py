"""A whole project in Chromium, once in Chinese and once in English: creation, kick-off, planning,
execution (status report, risk, a negotiated change), closing (go-live notice received, actual
go-live, the confirmation signed) and a technical support request, with no 4xx/5xx response other
than the refusals the journey expects.

Steps a person takes on a page run in the browser; setting up the team and drafting the content of
deliverables (tested on their own pages elsewhere) go through the services to keep it quick.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD, CustomerUserFactory, VendorUserFactory
from changes.tests.factories import change_approved, change_filed, in_thread
from delivery.audit import RequestMeta
from documents.services import deliverable_get_or_create, version_draft_create, version_sign, version_submit
from documents.tests.factories import REQUIREMENTS
from projects.enums import MemberRole, Phase
from projects.models import Project
from projects.services import project_member_add
from support.models import SupportRequest
from support.tests.conftest import cast  # noqa: F401  (the support roles' people)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
META = RequestMeta()


def _login(page, base: str, user, language: str) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "django_language", "value": language, "url": base}])
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base}/dashboard/")


def _shot(page, language: str, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey-{language}-{name}.png"), full_page=True)


def _plan(today: dt.date) -> dict:
    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    milestones = [
        {"name": "环境准备", "kind": "preparation", "planned_start": day(-9), "planned_end": day(-2)},
        {
            "name": "部署与迁移",
            "kind": "implementation",
            "planned_start": day(-1),
            "planned_end": day(30),
            "status": "in_progress",
        },
        {"name": "上线切换", "kind": "golive", "planned_start": day(31), "planned_end": day(40)},
    ]
    statuses = ["done", "in_progress", "planned"]
    return {"milestones": [{**m, "status": s} for m, s in zip(milestones, statuses, strict=True)], "activities": []}


def _submitted(project, code: str, content: dict):
    deliverable = deliverable_get_or_create(project=project, code=code)
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=content)
    return version_submit(version=version, user=project.vendor_pm, meta=META)


def _sign_in_browser(page, base: str, version, lead) -> None:
    d = version.deliverable
    page.goto(f"{base}/projects/{d.project.code}/deliverables/{d.type.code}/v{version.number}/sign/")
    page.fill("input[name=typed_name]", lead.get_full_name())
    page.check("input[name=consent]")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#sign-submit")
    page.wait_for_url(f"{base}/projects/{d.project.code}/deliverables/{d.type.code}/v{version.number}/")


def _advance(page, base: str, code: str) -> None:
    page.goto(f"{base}/projects/{code}/")
    page.click("#advance-form button")
    page.wait_for_url(f"{base}/projects/{code}/")


def _journey(page, live_server, cast, language: str) -> list[tuple[int, str, str]]:  # noqa: F811
    base = live_server.url
    failures: list[tuple[int, str, str]] = []
    page.on(
        "response",
        lambda r: failures.append((r.status, r.request.method, urlparse(r.url).path)) if r.status >= 400 else None,
    )
    today = timezone.localdate()
    code = f"J-{language.upper()[:2]}-001"
    pm = VendorUserFactory(first_name="王建国", username=f"pm-{language}")
    lead = CustomerUserFactory(profile__organization=cast.customer, first_name="李静", username=f"lead-{language}")

    project = _initiation(page, base, language, cast, pm, lead, code, today)
    _kickoff(page, base, language, pm, lead, code, today)
    _planning(page, base, language, project, pm, lead, code, today)
    no_compensation = _execution(page, base, language, project, pm, lead, code, today)
    _closing(page, base, language, project, pm, lead, code, today, no_compensation)
    _technical_support(page, base, language, cast)
    return failures


def test_whole_project_journey_in_chinese(page, live_server, cast, certificate):  # noqa: F811
    failures = _journey(page, live_server, cast, "zh-hans")

    assert failures == []
    assert page.locator("html").get_attribute("lang") == "zh-hans"


def test_whole_project_journey_in_english(page, live_server, cast, certificate):  # noqa: F811
    failures = _journey(page, live_server, cast, "en")

    assert failures == []
    assert page.locator("html").get_attribute("lang") == "en"
    pm = Project.objects.get(code="J-EN-001").vendor_pm
    _login(page, live_server.url, pm, "en")
    page.goto(f"{live_server.url}/projects/J-EN-001/deliverables/")
    assert "Requirements confirmation" in page.content()
    assert "需求确认单" not in page.content()


def _initiation(page, base, language, cast, pm, lead, code, today):  # noqa: F811
    """Initiation: the PM creates the project from the contract, in the browser."""
    _login(page, base, pm, language)
    page.goto(f"{base}/projects/new/")
    page.fill("#id_code", code)
    page.fill("#id_name", "江南制造邮件系统升级")
    page.select_option("#id_customer", str(cast.customer.pk))
    page.fill("#id_contract_number", "JN-2026-017")
    page.fill("#id_contract_date", (today - dt.timedelta(days=20)).isoformat())
    page.check("input[name=services][value=upgrade]")
    page.select_option("#id_golive_basis", "major_upgrade")
    page.fill("#id_planned_start", (today - dt.timedelta(days=10)).isoformat())
    page.fill("#id_planned_end", (today + dt.timedelta(days=45)).isoformat())
    page.uncheck("#id_contact_directory_required")
    page.click("#project-form button[type=submit]")
    page.wait_for_url(f"{base}/projects/{code}/team/")
    project = Project.objects.get(code=code)
    project_member_add(project=project, actor=pm, role=MemberRole.CUSTOMER_PM, user=lead, make_customer_lead=True)
    project_member_add(project=project, actor=pm, role=MemberRole.CUSTOMER_TECH_LEAD, user=cast.contact)
    for role, person in [
        (MemberRole.PRESALES, VendorUserFactory()),
        (MemberRole.DELIVERY_CONSULTANT, VendorUserFactory()),
        (MemberRole.SALES_MANAGER, cast.sales),
    ]:
        project_member_add(project=project, actor=pm, role=role, user=person)
    return project


def _kickoff(page, base, language, pm, lead, code, today) -> None:
    """The kick-off meeting is recorded by the PM and confirmed by the customer lead (the gate item)."""
    page.goto(f"{base}/projects/{code}/kickoff/")
    page.fill("#id_held_on", (today - dt.timedelta(days=8)).isoformat())
    page.fill("#id_place", "江南制造信息中心会议室")
    page.fill("#id_vendor_attendees", "王建国\n刘洋")
    page.fill("#id_customer_attendees", "李静\n钱客户")
    page.fill("#id_agenda", "范围、里程碑、分工")
    page.fill("#id_minutes", "双方确认范围。")
    page.click("#kickoff-form button[type=submit]")
    page.wait_for_url(f"{base}/projects/{code}/kickoff/")
    _login(page, base, lead, language)
    page.goto(f"{base}/projects/{code}/kickoff/")
    page.click("#kickoff-confirm-form button")
    page.wait_for_selector("#kickoff-confirmed")
    _shot(page, language, "1-kickoff")
    _login(page, base, pm, language)
    page.goto(f"{base}/projects/{code}/")
    _shot(page, language, "1-gate")
    _advance(page, base, code)


def _planning(page, base, language, project, pm, lead, code, today) -> None:
    """Planning: requirements and plan, signed by the lead in the browser."""
    requirements = _submitted(project, "requirements_confirmation", REQUIREMENTS)
    plan = _submitted(project, "project_plan", _plan(today))
    _login(page, base, lead, language)
    _sign_in_browser(page, base, requirements, lead)
    _sign_in_browser(page, base, plan, lead)
    page.goto(f"{base}/projects/{code}/deliverables/requirements_confirmation/v1/sign/")  # the back button
    page.wait_for_url(f"{base}/projects/{code}/deliverables/requirements_confirmation/v1/")
    assert page.locator("#sign-form").count() == 0
    _login(page, base, pm, language)
    page.goto(f"{base}/projects/{code}/deliverables/project_plan/v1/")
    assert page.locator("#gantt-today").count() == 1
    _shot(page, language, "2-plan")
    _advance(page, base, code)


def _execution(page, base, language, project, pm, lead, code, today):
    """Execution: a status report drafted then published, a risk with a response date, a negotiated change
    agreed by both sides, the implementation delivery report issued."""
    page.goto(f"{base}/projects/{code}/reports/add/")
    page.fill("#id_period_start", (today - dt.timedelta(days=6)).isoformat())
    page.fill("#id_period_end", today.isoformat())
    page.check("input[name=rag][value=amber]")
    page.fill("#id_milestone_1", "40")
    page.fill("#id_progress_summary", "完成部署，迁移演练中。")
    page.click("#item-form button[type=submit]")
    page.wait_for_url(f"{base}/projects/{code}/reports/")
    page.click(".report-publish")
    page.wait_for_url(f"{base}/projects/{code}/reports/")
    page.goto(f"{base}/projects/{code}/risks/add/")
    page.fill("#id_description", "新存储阵列到货时间未定")
    page.select_option("#id_probability", "high")
    page.select_option("#id_impact", "medium")
    page.fill("#id_response_due", (today + dt.timedelta(days=7)).isoformat())
    page.click("#item-form button[type=submit]")
    page.wait_for_url(f"{base}/projects/{code}/risks/")
    assert page.locator(".risk-score").first.inner_text() == "6"
    _shot(page, language, "3-risks")
    page.goto(f"{base}/projects/{code}/reports/")
    _shot(page, language, "3-reports")
    change = in_thread(lambda: change_filed(project, kind="4.1", title="上线日期顺延两周"))
    _login(page, base, lead, language)
    change_url = f"{base}/projects/{code}/changes/{change.number}/"
    page.goto(change_url)
    page.click("#negotiation-start")
    page.wait_for_url(change_url)
    page.fill("#propose-form textarea[name=note]", "上线日期顺延两周，费用不变。")
    page.click("#propose-submit")
    page.wait_for_url(change_url)
    _login(page, base, pm, language)
    page.goto(change_url)
    _shot(page, language, "3-change-proposed")
    page.click("#agree-submit")
    page.wait_for_url(change_url)
    no_compensation = in_thread(lambda: change_approved(project, kind="4.3"))
    _submitted(project, "implementation_report", {"architecture": "双机热备。", "accounts": []})
    _advance(page, base, code)
    return no_compensation


def _closing(page, base, language, project, pm, lead, code, today, no_compensation) -> None:
    """Closing: the go-live notice is delivered and opened, the system goes live, the lead signs."""
    page.goto(f"{base}/projects/{code}/golive/")
    page.fill("input[name=notice-planned_start]", (today + dt.timedelta(days=1)).isoformat())
    page.click("#notice-form button")
    page.wait_for_url(f"{base}/projects/{code}/golive/")
    _login(page, base, lead, language)
    page.goto(f"{base}/projects/{code}/golive/")
    assert page.locator(".notice-opened").first.inner_text().startswith(today.isoformat()[:4])
    _shot(page, language, "4-notice-received")
    page.goto(f"{base}/projects/{code}/changes/{no_compensation.number}/claim/")
    assert page.locator("#claim-refused").count() == 1
    _shot(page, language, "4-claim-explained")
    _login(page, base, pm, language)
    page.goto(f"{base}/projects/{code}/golive/")
    page.fill("input[name=actual-went_live_on]", today.isoformat())
    page.fill("textarea[name=actual-statement]", "系统已正式运行。")
    page.click("#actual-form button")
    page.wait_for_url(f"{base}/projects/{code}/deliverables/golive_confirmation/v1/")
    confirmation = project.deliverables.get(type__code="golive_confirmation").versions.get(number=1)
    _login(page, base, lead, language)
    _sign_in_browser(page, base, confirmation, lead)
    # Finishing closing also needs the internal summary report and handover record confirmed,
    # and nothing still waiting for a signature (the implementation report, signed by the lead).
    summary = {"background": "邮件系统升级。", "review": "按期完成。", "went_right": "顺畅。", "went_wrong": "延迟。"}
    handover = {"documents": "运维手册", "system_status": "运行正常。", "code_version": "v1.0"}
    report = project.deliverables.get(type__code="implementation_report").versions.get(number=1)
    to_sign = [(report, lead)]
    for type_code, content in [("project_summary_report", summary), ("handover_record", handover)]:
        to_sign.append((in_thread(lambda t=type_code, c=content: _submitted(project, t, c)), pm))
    for version, signer in to_sign:
        in_thread(
            lambda v=version, u=signer: version_sign(
                version=v, user=u, meta=META, typed_name=u.get_full_name(), password=DEFAULT_PASSWORD, consent=True
            )
        )
    _login(page, base, pm, language)
    _advance(page, base, code)
    _shot(page, language, "5-closed")
    project.refresh_from_db()
    assert project.phase == Phase.CLOSED


def _technical_support(page, base, language, cast) -> None:  # noqa: F811
    """Technical support: sales files a request, the engineer answers it."""
    _login(page, base, cast.sales, language)
    page.goto(f"{base}/support/new/")
    page.select_option("select[name=customer]", str(cast.customer.pk))
    page.select_option("select[name=customer_contact]", str(cast.contact.pk))
    page.select_option("select[name=mode]", "on_site")
    page.fill("textarea[name=description]", "邮件网关队列堆积，外发邮件延迟")
    page.click("#request-submit")
    page.wait_for_selector("#request-title")
    _login(page, base, cast.engineer, language)
    page.goto(f"{base}/support/{SupportRequest.objects.get().pk}/")
    page.fill("textarea[name=accept-note]", "今天下午到现场")
    page.click("#accept-submit")
    page.wait_for_selector("#briefing-form")
    _shot(page, language, "6-support")
