"""The admin: upload with errors on the form, read-only versions, preview, activate, retire."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import CustomerUserFactory, VendorUserFactory
from doctemplates.enums import TemplateEventKind, TemplateState
from doctemplates.models import CustomTemplate, TemplateEvent
from doctemplates.services import template_record_use
from documents.models import DeliverableType
from documents.tests.factories import VersionFactory

from .factories import GOOD_CSS, GOOD_HTML, CustomTemplateFactory

pytestmark = pytest.mark.django_db


def _form(version, **overrides) -> dict:
    data = {
        "deliverable_type": DeliverableType.objects.get(code="requirements_confirmation").pk,
        "organization": version.deliverable.project.customer.pk,
        "project": "",
        "name": "客户定制需求确认单",
        "html": GOOD_HTML,
        "css": GOOD_CSS,
        "agreed_by": "王客户",
        "agreed_on": "2026-11-20",
        "agreement_note": "双方于项目启动会确认。",
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
    }
    return {**data, **overrides}


def test_upload_form_saves_a_draft_through_the_service(client, admin_user, version):
    client.force_login(admin_user)

    response = client.post(reverse("admin:doctemplates_customtemplate_add"), _form(version))

    assert response.status_code == 302
    template = CustomTemplate.objects.get()
    assert (template.number, template.state, template.uploaded_by, template.agreed_by) == (
        1,
        TemplateState.DRAFT,
        admin_user,
        "王客户",
    )
    assert list(template.events.values_list("kind", flat=True)) == [TemplateEventKind.UPLOADED]


def test_broken_template_shows_the_error_with_its_line_and_saves_nothing(client, admin_user, version):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:doctemplates_customtemplate_add"), _form(version, html="<p>\n\n{% for x in items %}</p>")
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "html": ["第 3 行：Unclosed tag on line 3: 'for'. Looking for one of: empty, endfor."]
    }
    assert "第 3 行：Unclosed tag on line 3: &#x27;for&#x27;" in response.content.decode()
    assert CustomTemplate.objects.count() == 0
    assert TemplateEvent.objects.count() == 0


def test_form_refuses_css_that_fetches_a_url(client, admin_user, version):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:doctemplates_customtemplate_add"),
        _form(version, css='@import url("https://fonts.example.com/x.css");'),
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "css": [
            "PDF 渲染器拒绝了模板的一部分：Failed to load stylesheet at https://fonts.example.com/x.css : "
            "ValueError: PDF rendering may not fetch 'https://fonts.example.com/x.css'"
        ]
    }
    assert CustomTemplate.objects.count() == 0


def test_form_refuses_both_scopes(client, admin_user, version):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:doctemplates_customtemplate_add"), _form(version, project=version.deliverable.project.pk)
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == ["请选择客户单位或项目，二者必须且只能选一个。"]
    assert CustomTemplate.objects.count() == 0


def test_add_form_links_the_documented_context(client, admin_user):
    client.force_login(admin_user)

    page = client.get(reverse("admin:doctemplates_customtemplate_add")).content.decode()
    docs = client.get(reverse("admin:doctemplates_customtemplate_context"))

    assert f'href="{reverse("admin:doctemplates_customtemplate_context")}"' in page
    assert "模板可以使用的内容" in page
    assert docs.status_code == 200
    assert "`audit_events[].comment`" in docs.content.decode()


def test_new_version_starts_from_the_stored_one(client, admin_user, version):
    source = CustomTemplateFactory(organization=version.deliverable.project.customer, css="p { color: blue }")
    client.force_login(admin_user)

    response = client.get(reverse("admin:doctemplates_customtemplate_add") + f"?from={source.pk}")

    initial = response.context["adminform"].form.initial
    assert (initial["organization"], initial["css"], initial["html"]) == (source.organization_id, source.css, GOOD_HTML)


def test_stored_version_is_read_only(client, admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(admin_user)
    url = reverse("admin:doctemplates_customtemplate_change", args=[template.pk])

    page = client.get(url)
    posted = client.post(url, _form(version, name="改名", html="<p>changed</p>"))

    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert 'id="template-activate"' in page.content.decode()
    assert posted.status_code == 403
    template.refresh_from_db()
    assert (template.name, template.html) == ("客户定制需求确认单", GOOD_HTML)


def test_activate_button_activates_through_the_service(client, admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(admin_user)

    response = client.post(reverse("admin:doctemplates_customtemplate_activate", args=[template.pk]))

    assert response.status_code == 302
    template.refresh_from_db()
    assert (template.state, template.activated_by) == (TemplateState.ACTIVE, admin_user)
    assert list(template.events.values_list("kind", "actor")) == [(TemplateEventKind.ACTIVATED, admin_user.pk)]


def test_activate_needs_post(client, admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(admin_user)

    response = client.get(reverse("admin:doctemplates_customtemplate_activate", args=[template.pk]))

    assert response.status_code == 405
    template.refresh_from_db()
    assert template.state == TemplateState.DRAFT


def test_activate_action_and_retire_button(client, admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(admin_user)

    client.post(
        reverse("admin:doctemplates_customtemplate_changelist"),
        {"action": "activate_selected", "_selected_action": [template.pk]},
    )
    template.refresh_from_db()
    assert template.state == TemplateState.ACTIVE
    client.post(reverse("admin:doctemplates_customtemplate_retire", args=[template.pk]))
    template.refresh_from_db()
    assert template.state == TemplateState.RETIRED


def _staff_without_permission():
    return VendorUserFactory(is_staff=True)


def test_view_only_staff_cannot_activate(client, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    staff = _staff_without_permission()
    staff.user_permissions.add(Permission.objects.get(codename="view_customtemplate"))
    client.force_login(staff)

    response = client.post(reverse("admin:doctemplates_customtemplate_activate", args=[template.pk]))

    assert response.status_code == 403
    template.refresh_from_db()
    assert template.state == TemplateState.DRAFT
    assert template.events.count() == 0


def test_preview_page_lists_versions_in_scope_and_frames_the_pdf(client, admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    VersionFactory()  # another customer's
    client.force_login(admin_user)
    url = reverse("admin:doctemplates_customtemplate_preview", args=[template.pk])

    response = client.get(url, {"version": version.pk})

    assert list(response.context["versions"]) == [version]
    pdf_url = reverse("admin:doctemplates_customtemplate_preview_pdf", args=[template.pk, version.pk])
    assert f'<iframe class="template-preview" src="{pdf_url}"' in response.content.decode()


def test_preview_pdf_renders_the_draft_with_real_content(client, admin_user, version, tmp_path):
    import subprocess

    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(admin_user)

    response = client.get(reverse("admin:doctemplates_customtemplate_preview_pdf", args=[template.pk, version.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Content-Disposition"].startswith("inline;")
    path = tmp_path / "preview.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    assert "完成邮件系统部署" in text
    assert f"定制模板 {version.deliverable.project.code} v1" in text
    assert TemplateEvent.objects.count() == 0
    template.refresh_from_db()
    assert template.state == TemplateState.DRAFT


def test_preview_of_a_version_outside_the_scope_is_404(client, admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    other = VersionFactory()
    client.force_login(admin_user)

    response = client.get(reverse("admin:doctemplates_customtemplate_preview_pdf", args=[template.pk, other.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize("user_factory", [CustomerUserFactory, VendorUserFactory])
def test_preview_is_for_staff_only(client, version, user_factory):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(user_factory())

    for name, args in [("preview", [template.pk]), ("preview_pdf", [template.pk, version.pk])]:
        response = client.get(reverse(f"admin:doctemplates_customtemplate_{name}", args=args))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("admin:login"))


def test_preview_needs_the_view_permission(client, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    client.force_login(_staff_without_permission())

    response = client.get(reverse("admin:doctemplates_customtemplate_preview_pdf", args=[template.pk, version.pk]))

    assert response.status_code == 403


@pytest.mark.parametrize("count", [1, 3])
def test_changelist_queries_do_not_grow(client, admin_user, version, django_assert_num_queries, count):
    for _ in range(count):
        CustomTemplateFactory(project=VersionFactory().deliverable.project)
    client.force_login(admin_user)

    with django_assert_num_queries(7):
        assert client.get(reverse("admin:doctemplates_customtemplate_changelist")).status_code == 200


@pytest.mark.parametrize("count", [1, 3])
def test_preview_page_queries_do_not_grow(client, admin_user, version, django_assert_num_queries, count):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    for _ in range(count - 1):
        VersionFactory(deliverable__project__customer=version.deliverable.project.customer)
    client.force_login(admin_user)

    with django_assert_num_queries(5):
        response = client.get(reverse("admin:doctemplates_customtemplate_preview", args=[template.pk]))
    assert len(response.context["versions"]) == count


@pytest.mark.parametrize("count", [1, 3])
def test_change_page_queries_do_not_grow_with_the_trail(client, admin_user, version, django_assert_num_queries, count):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer)
    for _ in range(count):
        template_record_use(template=template, version=VersionFactory())
    client.force_login(admin_user)
    url = reverse("admin:doctemplates_customtemplate_change", args=[template.pk])
    client.get(url)  # content types and the like cached, as in a running server

    with django_assert_num_queries(8):
        client.get(url)


def test_upload_form_saves_the_extra_signers_in_order(client, admin_user, version):
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:doctemplates_customtemplate_add"),
        _form(version, extra_signer_roles='["customer_tech_lead", "vendor_lead"]'),
    )

    assert response.status_code == 302
    assert CustomTemplate.objects.get().extra_signer_roles == ["customer_tech_lead", "vendor_lead"]


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (
            '["customer_cto"]',
            "customer_cto 不是签署角色，请使用以下之一：customer_lead, customer_tech_lead, vendor_lead, vendor_pm。",
        ),
        ('["customer_tech_lead", "customer_tech_lead"]', "同一角色只能签署一次。"),
        ('["customer_lead"]', "客户方项目负责人已是该交付物类型的签署人。"),
        (
            '"customer_tech_lead"',
            "请按签署顺序列出追加签署人的角色，每个角色须为以下之一："
            "customer_lead, customer_tech_lead, vendor_lead, vendor_pm。",
        ),
    ],
)
def test_upload_form_refuses_bad_extra_signers_and_saves_nothing(client, admin_user, version, roles, message):
    client.force_login(admin_user)

    response = client.post(reverse("admin:doctemplates_customtemplate_add"), _form(version, extra_signer_roles=roles))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"extra_signer_roles": [message]}
    assert CustomTemplate.objects.count() == 0
    assert TemplateEvent.objects.count() == 0
