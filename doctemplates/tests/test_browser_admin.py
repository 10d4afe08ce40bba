"""The template admin in Chromium: a broken upload shows its error, a good one is previewed and activated."""

from __future__ import annotations

from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, AdminUserFactory
from doctemplates.enums import TemplateState
from doctemplates.models import CustomTemplate
from documents.tests.factories import VersionFactory

from .factories import GOOD_CSS, GOOD_HTML

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def test_upload_preview_and_activate(page, live_server):
    version = VersionFactory(number=1)
    admin = AdminUserFactory()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", admin.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("input[type=submit]")

    page.goto(f"{live_server.url}/admin/doctemplates/customtemplate/add/")
    page.select_option("select[name=deliverable_type]", label="需求确认单")
    page.select_option("select[name=organization]", str(version.deliverable.project.customer_id))
    page.fill("input[name=name]", "客户定制需求确认单")
    page.fill("textarea[name=html]", "<h1>{{ title }}</h1>\n{% for item in items %}\n<p>{{ item.text }}</p>")
    page.fill("textarea[name=css]", GOOD_CSS)
    page.fill("input[name=agreed_by]", "王客户")
    page.fill("input[name=agreed_on]", "2026-11-20")
    page.click("input[name=_save]")
    page.wait_for_selector(".errorlist")
    page.screenshot(path=str(SCREENSHOTS / "template-upload-error.png"), full_page=True)
    assert "第 2 行：Unclosed tag on line 2: 'for'" in page.inner_text(".field-html .errorlist")
    assert CustomTemplate.objects.count() == 0

    page.fill("textarea[name=html]", GOOD_HTML)
    page.click("input[name=_save]")
    page.wait_for_url(f"{live_server.url}/admin/doctemplates/customtemplate/")
    template = CustomTemplate.objects.get()
    page.goto(f"{live_server.url}/admin/doctemplates/customtemplate/{template.pk}/change/")
    page.screenshot(path=str(SCREENSHOTS / "template-change.png"), full_page=True)

    page.click("text=用实际版本预览")
    page.wait_for_selector("select#id_version")
    page.click(".template-preview-form input[type=submit]")
    page.wait_for_selector("iframe.template-preview")
    page.screenshot(path=str(SCREENSHOTS / "template-preview.png"), full_page=True)
    pdf = page.request.get(live_server.url + page.get_attribute("iframe.template-preview", "src"))
    assert pdf.headers["content-type"] == "application/pdf"
    (SCREENSHOTS / "template-preview.pdf").write_bytes(pdf.body())

    page.goto(f"{live_server.url}/admin/doctemplates/customtemplate/{template.pk}/change/")
    page.click("#template-activate")
    page.wait_for_selector(".messagelist .success")
    template.refresh_from_db()
    assert template.state == TemplateState.ACTIVE
