"""Upload (checked as signing will render it), versions, activation, retirement."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from accounts.tests.factories import VendorUserFactory
from doctemplates.enums import TemplateEventKind, TemplateState
from doctemplates.models import CustomTemplate, TemplateEvent
from doctemplates.sandbox import TemplateProblems
from doctemplates.services import template_activate, template_retire, template_upload
from documents.models import DeliverableType

from .conftest import META
from .factories import GOOD_CSS, GOOD_HTML, CustomTemplateFactory

pytestmark = pytest.mark.django_db


def _upload(user, *, html=GOOD_HTML, css=GOOD_CSS, **scope):
    return template_upload(
        user=user,
        meta=META,
        deliverable_type=DeliverableType.objects.get(code="requirements_confirmation"),
        name="客户定制需求确认单",
        html=html,
        css=css,
        agreed_by="王客户",
        agreed_on=datetime.date(2026, 11, 20),
        **scope,
    )


def _problems(user, **kwargs) -> list[tuple[str | None, str]]:
    with pytest.raises(TemplateProblems) as caught:
        _upload(user, **kwargs)
    return [(p.field, p.message) for p in caught.value.problems]


def test_upload_makes_draft_version_one_with_its_event(admin_user, version):
    template = _upload(admin_user, organization=version.deliverable.project.customer)

    assert (template.number, template.state, template.uploaded_by) == (1, TemplateState.DRAFT, admin_user)
    assert list(template.events.values_list("kind", "actor", "ip_address")) == [
        (TemplateEventKind.UPLOADED, admin_user.pk, "10.0.0.9")
    ]


def test_each_upload_is_a_new_version_of_its_scope(admin_user, version):
    project = version.deliverable.project
    first = _upload(admin_user, project=project)
    second = _upload(admin_user, project=project, html=GOOD_HTML + "<p>v2</p>")
    other_scope = _upload(admin_user, organization=project.customer)

    assert (first.number, second.number, other_scope.number) == (1, 2, 1)
    first.refresh_from_db()
    assert first.html == GOOD_HTML


@pytest.mark.parametrize(
    ("html", "css", "expected"),
    [
        (
            "<p>a</p>\n{% if items %}\n<p>b</p>",
            "",
            [("html", "第 2 行：Unclosed tag on line 2: 'if'. Looking for one of: elif, else, endif.")],
        ),
        (
            "{% debug %}",
            "",
            [("html", "第 1 行：Invalid block tag on line 1: 'debug'. Did you forget to register or load this tag?")],
        ),
        ("{{ title|safe }}", "", [("html", "第 1 行：Invalid filter: 'safe'")]),
        (
            "{% load static %}",
            "",
            [
                (
                    "html",
                    "第 1 行：'static' is not a registered tag library. Must be one of:\n"
                    "humanize\ni18n\nl10n\nsealing_pdf",
                )
            ],
        ),
        (
            "\n{% include 'sealing/pdf/base.html' %}",
            "",
            [
                (
                    "html",
                    "第 2 行：只能包含这些文件：sealing/pdf/sign_off.html, sealing/pdf/audit_trail.html"
                    "（不能包含 sealing/pdf/base.html）。",
                )
            ],
        ),
        (
            "{{ project.__class__ }}",
            "",
            [("html", "第 1 行：Variables and attributes may not begin with underscores: 'project.__class__'")],
        ),
        ('<meta name="deliveryref" content="P/x/1/0">', "", [("html", "模板不能包含这些元素：meta。")]),
        (
            '<script>alert(1)</script><link rel="stylesheet" href="x.css">',
            "",
            [("html", "模板不能包含这些元素：script, link。")],
        ),
        (
            "<p>x</p>",
            "p { colr: red }",
            [("css", "PDF 渲染器拒绝了模板的一部分：Ignored `colr: red ` at 1:5, unknown property.")],
        ),
        ("", "", [("html", "模板没有 HTML。")]),
        ("x" * 100_001, "", [("html", "HTML 最多 100000 个字符。")]),
        ("<p>x</p>", "p{}" * 20_000, [("css", "CSS 最多 50000 个字符。")]),
    ],
)
def test_broken_template_is_refused_with_the_error_and_nothing_saved(admin_user, version, html, css, expected):
    assert _problems(admin_user, html=html, css=css, organization=version.deliverable.project.customer) == expected
    assert CustomTemplate.objects.count() == 0
    assert TemplateEvent.objects.count() == 0


def test_scope_must_be_exactly_one_of_organisation_and_project(admin_user, version):
    project = version.deliverable.project

    assert _problems(admin_user) == [(None, "请选择客户单位或项目，二者必须且只能选一个。")]
    assert _problems(admin_user, organization=project.customer, project=project) == [
        (None, "请选择客户单位或项目，二者必须且只能选一个。")
    ]
    assert CustomTemplate.objects.count() == 0


def test_upload_by_a_non_administrator_is_refused(version):
    with pytest.raises(PermissionDenied, match="只有管理员可以管理文档模板。"):
        _upload(VendorUserFactory(), organization=version.deliverable.project.customer)
    assert CustomTemplate.objects.count() == 0


def test_activation_retires_the_scope_active_version(admin_user, version):
    customer = version.deliverable.project.customer
    first = template_activate(template=_upload(admin_user, organization=customer), user=admin_user, meta=META)
    second = _upload(admin_user, organization=customer)

    template_activate(template=second, user=admin_user, meta=META)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (TemplateState.RETIRED, TemplateState.ACTIVE)
    assert (second.activated_by, second.activated_at is not None) == (admin_user, True)
    assert list(first.events.values_list("kind", "from_state", "to_state", "comment")) == [
        (TemplateEventKind.UPLOADED, "", TemplateState.DRAFT, ""),
        (TemplateEventKind.ACTIVATED, TemplateState.DRAFT, TemplateState.ACTIVE, ""),
        (TemplateEventKind.RETIRED, TemplateState.ACTIVE, TemplateState.RETIRED, "被第 2 版取代。"),
    ]
    assert list(second.events.values_list("kind", flat=True)) == [
        TemplateEventKind.UPLOADED,
        TemplateEventKind.ACTIVATED,
    ]


def test_activation_leaves_other_scopes_alone(admin_user, version):
    project = version.deliverable.project
    organisation_template = template_activate(
        template=_upload(admin_user, organization=project.customer), user=admin_user
    )

    template_activate(template=_upload(admin_user, project=project), user=admin_user)

    organisation_template.refresh_from_db()
    assert organisation_template.state == TemplateState.ACTIVE


def test_database_allows_one_active_template_per_scope_and_type(version):
    customer = version.deliverable.project.customer
    CustomTemplateFactory(organization=customer, state=TemplateState.ACTIVE)

    with pytest.raises(IntegrityError), transaction.atomic():
        CustomTemplateFactory(organization=customer, state=TemplateState.ACTIVE)
    with pytest.raises(IntegrityError), transaction.atomic():
        CustomTemplateFactory(organization=customer, project=version.deliverable.project)


def test_only_a_draft_can_be_activated(admin_user, version):
    template = template_retire(
        template=_upload(admin_user, organization=version.deliverable.project.customer), user=admin_user
    )

    with pytest.raises(PermissionDenied, match="只有草稿模板可以启用。"):
        template_activate(template=template, user=admin_user)
    template.refresh_from_db()
    assert template.state == TemplateState.RETIRED
    assert template.events.count() == 2


def test_activation_by_a_non_administrator_changes_nothing(admin_user, version):
    template = _upload(admin_user, organization=version.deliverable.project.customer)

    with pytest.raises(PermissionDenied, match="只有管理员可以管理文档模板。"):
        template_activate(template=template, user=VendorUserFactory(is_staff=True))
    template.refresh_from_db()
    assert template.state == TemplateState.DRAFT
    assert template.events.count() == 1


def test_activation_checks_the_stored_template_again(admin_user, version):
    template = CustomTemplateFactory(organization=version.deliverable.project.customer, html="{% debug %}")

    with pytest.raises(TemplateProblems):
        template_activate(template=template, user=admin_user)
    template.refresh_from_db()
    assert template.state == TemplateState.DRAFT
    assert template.events.count() == 0


def test_retiring_twice_is_refused(admin_user, version):
    template = template_retire(
        template=_upload(admin_user, organization=version.deliverable.project.customer), user=admin_user
    )

    with pytest.raises(PermissionDenied, match="该模板已经停用。"):
        template_retire(template=template, user=admin_user)
    assert template.events.count() == 2


def test_upload_keeps_the_extra_signers(admin_user, version):
    template = _upload(
        admin_user, organization=version.deliverable.project.customer, extra_signer_roles=["customer_tech_lead"]
    )

    assert template.extra_signer_roles == ["customer_tech_lead"]


def test_upload_refuses_unknown_repeated_or_already_signing_extra_signers(admin_user, version):
    problems = _problems(
        admin_user,
        organization=version.deliverable.project.customer,
        extra_signer_roles=["customer_cto", "customer_lead", "customer_lead"],
    )

    assert problems == [
        (
            "extra_signer_roles",
            "customer_cto 不是签署角色，请使用以下之一：customer_lead, customer_tech_lead, vendor_lead, vendor_pm。",
        ),
        ("extra_signer_roles", "同一角色只能签署一次。"),
        ("extra_signer_roles", "客户方项目负责人已是该交付物类型的签署人。"),
    ]
    assert (CustomTemplate.objects.count(), TemplateEvent.objects.count()) == (0, 0)
