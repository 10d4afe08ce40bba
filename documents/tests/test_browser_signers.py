"""The final acceptance report's signers card in Chromium: the customer lead has signed, the
vendor's project lead (a vendor manager other than the PM) is asked next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from accounts.tests.factories import DEFAULT_PASSWORD, VendorUserFactory, make_vendor_manager
from documents.services import (
    RequestMeta,
    deliverable_get_or_create,
    version_draft_create,
    version_sign,
    version_submit,
)
from projects.tests.factories import ProjectFactory

from .test_signers import ACCEPTANCE

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
META = RequestMeta()


def test_final_acceptance_lists_both_signers_in_order(page, live_server):
    from golive.services import acceptance_meeting_record

    project = ProjectFactory(code="HX-2026-077", name="江南制造邮件系统升级", golive_applies=False)
    lead = VendorUserFactory(first_name="王经理")
    make_vendor_manager(lead)
    project.vendor_lead = lead
    project.save(update_fields=["vendor_lead"])
    acceptance_meeting_record(
        project=project, user=project.vendor_pm, held_on=dt.date(2026, 1, 5), place="会议室", attendees="双方项目组"
    )
    deliverable = deliverable_get_or_create(project=project, code="final_acceptance_report")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=ACCEPTANCE)
    version = version_submit(version=version, user=project.vendor_pm, meta=META)
    customer = project.customer_lead
    version_sign(
        version=version,
        user=customer,
        meta=META,
        typed_name=customer.get_full_name(),
        password=DEFAULT_PASSWORD,
        consent=True,
    )

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", lead.username)
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/dashboard/")
    page.goto(f"{live_server.url}/projects/{project.code}/deliverables/final_acceptance_report/v1/")

    card = page.inner_text("#signers")
    assert "1. 客户方项目负责人" in card
    assert "2. 交付方项目负责人 · 王经理" in card
    assert "等待其签署" in card
    assert page.is_visible("#review-sign")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "final-acceptance-signers.png"), full_page=True)
