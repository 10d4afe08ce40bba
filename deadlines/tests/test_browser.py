"""The year page in Debian's Chromium: colours really applied (CSP allows our stylesheet), screenshot."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser, pytest.mark.urls("deadlines.tests.urls")]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def background(page, day: str) -> str:
    return page.eval_on_selector(f'td[data-date="{day}"]', "cell => getComputedStyle(cell).backgroundColor")


def test_year_page_in_chromium(page, live_server):
    user = UserFactory(username="zhaoli", first_name="赵丽")
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/?next=/calendar/2026/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/calendar/2026/")

    assert page.locator("h1").inner_text().startswith("工作日历 2026")
    assert background(page, "2026-10-01") == "rgb(248, 215, 218)"  # holiday
    assert background(page, "2026-10-10") == "rgb(207, 226, 255)"  # make-up working day
    assert background(page, "2026-10-11") == "rgb(236, 230, 247)"  # weekend
    assert page.locator("#calendar-provisional").count() == 0
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "calendar-2026.png"), full_page=True)

    page.click("#calendar-next")
    page.wait_for_url(f"{live_server.url}/calendar/2027/")

    assert page.locator("#calendar-provisional").is_visible()
    # The statutory 元旦 of the unpublished year: a holiday, hatched as provisional; no make-up day guessed.
    assert background(page, "2027-01-01") == "rgb(248, 215, 218)"
    assert "repeating-linear-gradient" in page.eval_on_selector(
        'td[data-date="2027-01-01"]', "cell => getComputedStyle(cell).backgroundImage"
    )
    assert background(page, "2027-02-20") == "rgb(236, 230, 247)"  # a Saturday, not guessed as worked
    page.screenshot(path=str(SCREENSHOTS / "calendar-2027.png"), full_page=True)
