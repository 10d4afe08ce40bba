from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import path, reverse

import delivery
from delivery import urls as delivery_urls

pytestmark = pytest.mark.django_db


def _boom(request):
    raise RuntimeError("boom")


urlpatterns = [*delivery_urls.urlpatterns, path("boom/", _boom)]
handler500 = delivery_urls.handler500
handler404 = delivery_urls.handler404


def test_layout_in_chinese_by_default(client, user):
    client.force_login(user)

    response = client.get(reverse("dashboard"))

    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert "仪表板" in html
    assert f"版本 {delivery.__version__}" in html
    assert "/static/vendor/bootstrap/css/bootstrap.min.css" in html


def test_language_switcher_changes_to_english(client, user):
    client.force_login(user)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/dashboard/"}, follow=True)

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Dashboard" in html
    assert f"Version {delivery.__version__}" in html


def test_404_page_uses_the_layout(client, user):
    client.force_login(user)

    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()
    assert "navbar" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_500_page_uses_the_layout(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    assert "服务器出错了" in response.content.decode()
    assert "navbar" in response.content.decode()


def test_admin_has_site_header(admin_client):
    response = admin_client.get("/admin/")

    assert response.status_code == 200
    assert "交付项目管理后台" in response.content.decode()


def test_security_headers_present(client):
    response = client.get(reverse("login"))

    assert response.headers["X-Frame-Options"] == "DENY"
    assert _directives(response.headers["Content-Security-Policy"]) == STRICT_POLICY
    assert "Content-Security-Policy-Report-Only" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}


def _directives(header: str) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in header.split(";"))


def test_policy_can_be_sent_report_only(client, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    settings.CONTENT_SECURITY_POLICY = None

    response = client.get(reverse("login"))

    assert "Content-Security-Policy" not in response.headers
    assert _directives(response.headers["Content-Security-Policy-Report-Only"]) == STRICT_POLICY


def test_templates_reference_no_other_host():
    from pathlib import Path

    root = Path(delivery.__file__).resolve().parent.parent
    offenders = [
        str(p.relative_to(root))
        for p in root.glob("**/templates/**/*.html")
        if ".venv" not in p.parts
        and ("//cdn" in p.read_text() or 'src="http' in p.read_text() or 'href="http' in p.read_text())
    ]
    assert offenders == []


def test_chinese_by_default_even_for_an_english_browser(client, user):
    client.force_login(user)

    response = client.get(reverse("dashboard"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert '<html lang="zh-hans">' in response.content.decode()


def test_pdf_preview_may_be_framed_by_our_own_pages_only(client):
    from delivery.audit import RequestMeta
    from documents.services import version_submit
    from documents.tests.factories import VersionFactory

    version = VersionFactory(number=1)
    version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=RequestMeta())
    client.force_login(version.deliverable.project.customer_lead)
    d = version.deliverable

    response = client.get(reverse("documents:pdf", args=[d.project.code, d.type.code, 1]))

    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert _directives(response.headers["Content-Security-Policy"]) == {**STRICT_POLICY, "frame-ancestors": "'self'"}


def test_favicon_ico_is_served(client):
    response = client.get("/favicon.ico", follow=True)

    assert response.redirect_chain == [("/static/favicon.ico", 301)]
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO header
