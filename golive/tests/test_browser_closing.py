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

    # The PM issues the implementation delivery report, with an initial password.
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

    # The customer lead signs it, sees the reminder, and confirms the passwords were changed.
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

    # The PM issues the go-live notice, then records the actual go-live.
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

    # The lead signs the go-live confirmation.
    _login(page, live_server, lead)
    page.goto(f"{docs}/golive_confirmation/v1/sign/")
    _sign(page, lead)
    page.wait_for_url(f"{docs}/golive_confirmation/v1/")
    page.goto(f"{live_server.url}/projects/{project.code}/golive/")
    assert f"已于 {today:%Y-%m-%d} 上线。" in page.inner_text("#golive-done")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "golive-live.png"), full_page=True)

    # The PM closes the project: the closing gate passes.
    _login(page, live_server, pm)
    page.goto(f"{live_server.url}/projects/{project.code}/")
    page.click("#advance-form button")
    page.wait_for_load_state()
    page.screenshot(path=str(SCREENSHOTS / "project-closed.png"), full_page=True)
    project.refresh_from_db()
    assert project.phase == Phase.CLOSED
    assert project.golive_on == today
