"""End-to-end in Debian's Chromium: log in, see the dashboard, load nothing from another host."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_login_page_then_dashboard_in_chromium(page, live_server):
    user = UserFactory(username="wangpm", first_name="王建国")
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))

    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "登录"
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")

    assert page.locator("h1").inner_text() == "欢迎，王建国"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "dashboard-zh.png"), full_page=True)

    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Welcome, 王建国"
    page.screenshot(path=str(SCREENSHOTS / "dashboard-en.png"), full_page=True)

    assert requested_hosts == {urlparse(live_server.url).netloc}
