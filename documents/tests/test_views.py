"""Deliverable pages: access (404 for outsiders, internal types hidden), actions, bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import DEFAULT_PASSWORD, CustomerUserFactory, VendorUserFactory
from delivery.audit import RequestMeta
from documents.enums import EventKind, VersionState
from documents.models import Attachment, DeliverableVersion, Signature, VersionEvent
from documents.services import deliverable_get_or_create, version_draft_create, version_submit
from projects.tests.factories import ProjectFactory

from .factories import VersionFactory

pytestmark = pytest.mark.django_db
META = RequestMeta()
# Includes the active customised template's extra signers (documents.signers.declared_signer_roles).
QUERIES_VERSION_PAGE = 11
# A signed version also shows its signatures (the earlier versions come in the one list).
QUERIES_SIGNED_VERSION_PAGE = 12
QUERIES_LIST_PAGE = 8


def _url(name: str, version, *extra) -> str:
    d = version.deliverable
    return reverse(f"documents:{name}", args=[d.project.code, d.type.code, version.number, *extra])


@pytest.fixture
def submitted():
    version = VersionFactory(number=1)
    return version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)


@pytest.fixture
def outsiders():
    other = ProjectFactory()
    return [other.customer_lead, other.vendor_pm, CustomerUserFactory(), VendorUserFactory()]


def test_every_deliverable_url_is_404_for_outsiders(client, submitted, outsiders):
    urls = [
        reverse("documents:list", args=[submitted.deliverable.project.code]),
        reverse("documents:deliverable", args=[submitted.deliverable.project.code, "requirements_confirmation"]),
        _url("version", submitted),
        _url("sign", submitted),
        _url("pdf", submitted),
        _url("offline", submitted),
        _url("compare", submitted, 1),
    ]
    for user in outsiders:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(_url("return", submitted), {"comment": "x"}).status_code == 404
        assert client.post(_url("submit", submitted)).status_code == 404
    submitted.refresh_from_db()
    assert submitted.state == VersionState.SUBMITTED


def test_customer_never_sees_internal_deliverables(client):
    project = ProjectFactory()
    deliverable = deliverable_get_or_create(project=project, code="project_summary_report")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content={})
    client.force_login(project.customer_lead)

    listing = client.get(reverse("documents:list", args=[project.code]))

    assert "项目总结报告" not in listing.content.decode()
    assert client.get(_url("version", version)).status_code == 404
    assert (
        client.get(reverse("documents:deliverable", args=[project.code, "project_summary_report"])).status_code == 404
    )
    client.force_login(project.vendor_pm)
    assert "项目总结报告" in client.get(reverse("documents:list", args=[project.code])).content.decode()


def test_customer_does_not_see_vendor_drafts(client):
    version = VersionFactory(number=1)
    client.force_login(version.deliverable.project.customer_lead)

    assert client.get(_url("version", version)).status_code == 404


def test_sign_page_wrong_password_shows_error_and_records_nothing(client, submitted):
    lead = submitted.deliverable.project.customer_lead
    client.force_login(lead)

    response = client.post(
        _url("sign", submitted), {"typed_name": lead.get_full_name(), "consent": "on", "password": "nope"}
    )

    assert response.status_code == 200
    assert "密码不正确。" in response.content.decode()
    assert Signature.objects.count() == 0
    submitted.refresh_from_db()
    assert submitted.state == VersionState.SUBMITTED


def test_sign_page_signs_and_redirects(client, submitted, django_capture_on_commit_callbacks):
    lead = submitted.deliverable.project.customer_lead
    client.force_login(lead)

    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            _url("sign", submitted),
            {"typed_name": lead.get_full_name(), "consent": "on", "password": DEFAULT_PASSWORD},
            HTTP_USER_AGENT="Mozilla/5.0 测试",
            REMOTE_ADDR="10.9.8.7",
        )

    assert response.status_code == 302
    signature = Signature.objects.get()
    assert (signature.ip_address, signature.user_agent) == ("10.9.8.7", "Mozilla/5.0 测试")


def test_vendor_pm_cannot_sign_for_the_customer(client, submitted):
    client.force_login(submitted.deliverable.project.vendor_pm)

    assert client.get(_url("sign", submitted)).status_code == 403
    assert client.post(_url("return", submitted), {"comment": "x"}).status_code == 403


def test_return_without_comment_shows_field_error(client, submitted):
    client.force_login(submitted.deliverable.project.customer_lead)

    response = client.post(_url("return", submitted), {"comment": ""})

    assert response.status_code == 200
    assert response.context["return_form"].errors["comment"] == ["这个字段是必填项。"]
    submitted.refresh_from_db()
    assert submitted.state == VersionState.SUBMITTED


def test_edit_draft_saves_rows_with_uids(client):
    version = VersionFactory(number=1, content={})
    client.force_login(version.deliverable.project.vendor_pm)
    data = {
        "items-TOTAL_FORMS": "2",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
        "items-0-kind": "requirement",
        "items-0-text": "部署邮件系统",
        "items-1-kind": "acceptance_criterion",
        "items-1-text": "稳定运行一个月",
    }

    response = client.post(_url("edit", version), data)

    assert response.status_code == 302
    version.refresh_from_db()
    assert [(r["kind"], r["text"]) for r in version.content["items"]] == [
        ("requirement", "部署邮件系统"),
        ("acceptance_criterion", "稳定运行一个月"),
    ]
    assert all(len(r["uid"]) == 12 for r in version.content["items"])


def test_edit_draft_with_bad_row_shows_errors_and_saves_nothing(client):
    version = VersionFactory(number=1)
    before = dict(version.content)
    client.force_login(version.deliverable.project.vendor_pm)
    data = {
        "items-TOTAL_FORMS": "1",
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "500",
        "items-0-kind": "nonsense",
        "items-0-text": "x",
    }

    response = client.post(_url("edit", version), data)

    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    version.refresh_from_db()
    assert version.content == before


def test_edit_is_404_for_the_customer_and_for_vendor_staff_outside_the_project(client):
    version = VersionFactory(number=1)
    before = dict(version.content)
    for user in (version.deliverable.project.customer_lead, VendorUserFactory()):
        client.force_login(user)
        assert client.get(_url("edit", version)).status_code == 404
        assert (
            client.post(_url("edit", version), {"items-TOTAL_FORMS": "0", "items-INITIAL_FORMS": "0"}).status_code
            == 404
        )
    version.refresh_from_db()
    assert version.content == before


def test_html_in_content_is_escaped(client, submitted):
    submitted.content["items"][0]["text"] = "<script>alert('x')</script>"
    DeliverableVersion.objects.filter(pk=submitted.pk).update(content=submitted.content)
    client.force_login(submitted.deliverable.project.customer_lead)

    html = client.get(_url("version", submitted)).content.decode()

    assert "<script>alert('x')</script>" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


def test_waiting_list_shows_my_submissions_only(client, submitted):
    other = VersionFactory(number=1)
    version_submit(version=other, user=other.deliverable.project.vendor_pm, meta=META)
    client.force_login(submitted.deliverable.project.customer_lead)

    response = client.get(reverse("documents:waiting"))

    assert [v.pk for v in response.context["versions"]] == [submitted.pk]


def _signed(version, *, at):
    """Mark ``version`` confirmed with the customer lead's signature (set directly: the state is protected)."""
    lead = version.deliverable.project.customer_lead
    Signature.objects.create(
        version=version, side="customer", signer=lead, typed_name="签", signed_at=at, version_sha256="0" * 64
    )
    if version.state == VersionState.DRAFT:
        DeliverableVersion.objects.filter(pk=version.pk).update(state=VersionState.CONFIRMED)


@pytest.mark.parametrize("count", [1, 5])
def test_version_page_query_count_is_constant(client, django_assert_num_queries, count):
    version = VersionFactory(
        number=1,
        content={"items": [{"uid": f"u{i}", "kind": "requirement", "text": f"条目 {i}"} for i in range(count * 4)]},
    )
    client.force_login(version.deliverable.project.vendor_pm)

    with django_assert_num_queries(QUERIES_VERSION_PAGE):
        response = client.get(_url("version", version))

    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 5])
def test_signed_version_page_query_count_is_constant(client, django_assert_num_queries, count):
    """Content items, earlier versions, their signatures, events and attachments all grow with ``count``."""
    now = timezone.now()
    deliverable = VersionFactory(number=1, state=VersionState.SUPERSEDED).deliverable
    for number in range(2, count + 1):
        VersionFactory(deliverable=deliverable, number=number, state=VersionState.SUPERSEDED)
    for old in deliverable.versions.all():
        _signed(old, at=now)
    version = VersionFactory(
        deliverable=deliverable,
        number=count + 1,
        content={"items": [{"uid": f"u{i}", "kind": "requirement", "text": f"条目 {i}"} for i in range(count * 4)]},
    )
    pm = deliverable.project.vendor_pm
    _signed(version, at=now)
    for _event in range(count * 2):
        VersionEvent.objects.create(version=version, kind=EventKind.EDITED, actor=pm, at=now)
    for i in range(count):
        Attachment.objects.create(
            version=version, name=f"附件{i}.txt", size=3, sha256="0" * 64, uploaded_by=pm, file=f"attachments/{i}.txt"
        )
    client.force_login(pm)

    with django_assert_num_queries(QUERIES_SIGNED_VERSION_PAGE):
        response = client.get(_url("version", version))

    assert response.status_code == 200
    assert len(response.context["versions"]) == count + 1


@pytest.mark.parametrize("count", [1, 4])
def test_deliverable_list_query_count_is_constant(client, django_assert_num_queries, count):
    project = ProjectFactory()
    codes = ["requirements_confirmation", "project_plan", "implementation_report", "golive_notice"][:count]
    for code in codes:
        version_draft_create(
            deliverable=deliverable_get_or_create(project=project, code=code),
            user=project.vendor_pm,
            meta=META,
            content={},
        )
    client.force_login(project.vendor_pm)

    with django_assert_num_queries(QUERIES_LIST_PAGE):
        response = client.get(reverse("documents:list", args=[project.code]))

    assert len([row for row in response.context["rows"] if row.latest]) == count


def test_internal_deliverable_notifies_no_customer(client):
    from notifications.models import Notification

    project = ProjectFactory()
    deliverable = deliverable_get_or_create(project=project, code="handover_record")
    content = {"documents": "安装手册", "system_status": "运行正常", "code_version": "v8.2.1"}
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=content)
    version_submit(version=version, user=project.vendor_pm, meta=META)

    assert Notification.objects.filter(recipient=project.customer_lead).count() == 0


def test_attachment_of_a_forbidden_type_is_refused(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    version = VersionFactory(number=1)
    client.force_login(version.deliverable.project.vendor_pm)

    response = client.post(
        _url("attachment_upload", version),
        {"file": SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")},
        follow=True,
    )

    assert "不接受“exe”类型的文件。" in response.content.decode()
    assert version.attachments.count() == 0


def test_password_typed_into_a_new_row_is_kept_on_first_save(client):
    from documents.models import StoredSecret

    project = ProjectFactory()
    deliverable = deliverable_get_or_create(project=project, code="implementation_report")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content={})
    client.force_login(project.vendor_pm)
    data = {
        "f-architecture": "双机热备",
        "accounts-TOTAL_FORMS": "1",
        "accounts-INITIAL_FORMS": "0",
        "accounts-MIN_NUM_FORMS": "0",
        "accounts-MAX_NUM_FORMS": "500",
        "accounts-0-system": "邮件管理台",
        "accounts-0-username": "admin",
        "accounts-0-password": "Init-Pass-2026",
    }

    client.post(_url("edit", version), data)

    version.refresh_from_db()
    row = version.content["accounts"][0]
    assert row["password"] == "set"
    assert list(StoredSecret.objects.filter(version=version).values_list("key", flat=True)) == [
        f"{row['uid']}:password"
    ]
    reveal = client.post(_url("secret", version), {"key": f"{row['uid']}:password", "answer": DEFAULT_PASSWORD})
    assert reveal.context["secret"] == "Init-Pass-2026"


def test_next_draft_after_a_return_shows_the_comment_and_system_as_creator(client, submitted):
    from documents.services import version_return

    draft = version_return(
        version=submitted, user=submitted.deliverable.project.customer_lead, meta=META, comment="请补充迁移要求"
    )
    client.force_login(submitted.deliverable.project.vendor_pm)

    response = client.get(_url("version", draft))

    html = response.content.decode()
    assert response.status_code == 200
    assert "第 1 版被退回，意见如下：" in html
    assert "请补充迁移要求" in html
    assert "· 系统" in html


def test_sign_page_of_a_signed_version_redirects_without_forms_or_events(client, submitted):
    lead = submitted.deliverable.project.customer_lead
    client.force_login(lead)
    data = {"typed_name": lead.get_full_name(), "consent": "on", "password": DEFAULT_PASSWORD}
    client.post(_url("sign", submitted), data)
    events_before = list(submitted.events.values_list("kind", flat=True))

    response = client.get(_url("sign", submitted), follow=True)

    assert response.redirect_chain == [(_url("version", submitted), 302)]
    page = response.content.decode()
    assert "此版本已不再等待您签署。" in page
    assert 'id="sign-form"' not in page and 'id="return-form"' not in page
    assert list(submitted.events.values_list("kind", flat=True)) == events_before


def test_sign_post_on_a_signed_version_changes_nothing(client, submitted):
    lead = submitted.deliverable.project.customer_lead
    client.force_login(lead)
    data = {"typed_name": lead.get_full_name(), "consent": "on", "password": DEFAULT_PASSWORD}
    client.post(_url("sign", submitted), data)

    response = client.post(_url("sign", submitted), data)

    assert response.status_code == 302
    assert Signature.objects.count() == 1


def test_admin_shows_a_versions_content_as_readable_fields(admin_client, submitted):
    url = reverse("admin:documents_deliverableversion_change", args=[submitted.pk])

    page = admin_client.get(url).content.decode()

    assert "<td>完成邮件系统部署，支持 5 万邮箱账户。</td>" in page
    assert "<td>上线条件</td>" in page  # the kind's label, not its code
    assert '"uid"' not in page and "&quot;uid&quot;" not in page  # no raw JSON
