"""Signers declared per deliverable type and signed in order (SPEC §3: final acceptance is signed by
the customer lead, then the vendor's project lead)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import DEFAULT_PASSWORD, CustomerUserFactory, VendorUserFactory, make_vendor_manager
from documents.enums import EventKind, SignerState, VersionState
from documents.models import DeliverableType, Signature
from documents.selectors import version_list_waiting_for_signature, version_signers
from documents.services import (
    RequestMeta,
    SignatureRefused,
    deliverable_get_or_create,
    version_draft_create,
    version_sign,
    version_submit,
)
from notifications.models import Notification
from projects.enums import MemberRole
from projects.tests.factories import ProjectFactory, ProjectMemberFactory

from .factories import DeliverableFactory, VersionFactory
from .test_views import QUERIES_VERSION_PAGE

pytestmark = pytest.mark.django_db

META = RequestMeta(ip_address="10.1.2.3", user_agent="pytest")
ACCEPTANCE = {
    "notice_time": "2026-12-20 10:00",
    "notice_place": "苏州总部 3 楼会议室",
    "attendees": "双方项目组",
    "duration": "2026-04-01 至 2026-12-20",
    "stages": "启动、规划、执行、收尾",
    "modules": "邮件、归档",
    "evaluation": "良好",
}


def _name(user) -> str:
    return user.get_full_name()


def _sign(version, user):
    return version_sign(
        version=version, user=user, meta=META, typed_name=_name(user), password=DEFAULT_PASSWORD, consent=True
    )


@pytest.fixture
def project():
    from golive.services import acceptance_meeting_record

    project = ProjectFactory(golive_applies=False)
    # Final acceptance is signed once the acceptance meeting is held (golive.rules).
    acceptance_meeting_record(
        project=project, user=project.vendor_pm, held_on=dt.date(2026, 1, 5), place="会议室", attendees="双方项目组"
    )
    return project


@pytest.fixture
def vendor_lead(project):
    """A vendor manager other than the PM, named the vendor's project lead."""
    lead = VendorUserFactory()
    make_vendor_manager(lead)
    project.vendor_lead = lead
    project.save(update_fields=["vendor_lead"])
    return lead


def _acceptance(project):
    deliverable = deliverable_get_or_create(project=project, code="final_acceptance_report")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=ACCEPTANCE)
    return version_submit(version=version, user=project.vendor_pm, meta=META)


def _states(version) -> list[tuple[str, str]]:
    return [(signer.role, signer.state) for signer in version_signers(version)]


def test_final_acceptance_declares_the_customer_lead_then_the_vendor_lead():
    assert DeliverableType.objects.get(code="final_acceptance_report").signer_roles == ["customer_lead", "vendor_lead"]


def test_vendor_cannot_sign_first(project):
    version = _acceptance(project)
    events = version.events.count()

    with pytest.raises(SignatureRefused) as refused:
        _sign(version, project.vendor_pm)

    lead = _name(project.customer_lead)
    assert refused.value.messages == [f"还没轮到您：{lead}（客户方项目负责人）需先签署此版本；轮到您时会通知您。"]
    version.refresh_from_db()
    assert (version.state, version.signatures.count(), version.events.count()) == (VersionState.SUBMITTED, 0, events)


def test_second_customer_signature_is_refused(project):
    version = _acceptance(project)
    _sign(version, project.customer_lead)
    events = version.events.count()

    with pytest.raises(SignatureRefused) as refused:
        _sign(version, project.customer_lead)

    assert refused.value.messages == ["您已签署此版本，正在等待其他签署人签署。"]
    version.refresh_from_db()
    assert (version.state, version.signatures.count(), version.events.count()) == (VersionState.SUBMITTED, 1, events)


def test_the_named_vendor_lead_signs_for_the_vendor_not_the_pm(project, vendor_lead):
    version = _acceptance(project)
    _sign(version, project.customer_lead)

    with pytest.raises(PermissionDenied):
        _sign(version, project.vendor_pm)
    assert version.signatures.count() == 1

    signature = _sign(version, vendor_lead)

    version.refresh_from_db()
    assert version.state == VersionState.CONFIRMED
    assert (signature.role, signature.side, signature.signer_id) == ("vendor_lead", "vendor", vendor_lead.pk)
    assert list(version.signatures.order_by("signed_at").values_list("role", flat=True)) == [
        "customer_lead",
        "vendor_lead",
    ]


def test_without_a_named_lead_the_pm_signs_for_the_vendor(project):
    version = _acceptance(project)
    _sign(version, project.customer_lead)

    signature = _sign(version, project.vendor_pm)

    assert (signature.role, signature.signer_id) == ("vendor_lead", project.vendor_pm_id)


def test_outsider_cannot_sign(project):
    version = _acceptance(project)

    for outsider in (CustomerUserFactory(), VendorUserFactory(), ProjectFactory().customer_lead):
        with pytest.raises(PermissionDenied):
            _sign(version, outsider)

    assert version.signatures.count() == 0


def test_only_the_first_signer_is_asked_then_the_next_when_the_previous_has_signed(project, vendor_lead):
    version = _acceptance(project)

    assert list(Notification.objects.filter(target_id=version.pk).values_list("recipient_id", "verb")) == [
        (project.customer_lead_id, "documents.submitted")
    ]

    _sign(version, project.customer_lead)

    asked = Notification.objects.get(recipient=vendor_lead, target_id=version.pk)
    assert asked.verb == "documents.signer_turn"
    assert asked.message == (
        f"{_name(project.customer_lead)} 已签署 {project.code} · 项目终验报告 第 1 版，现等待您签署"
    )


def test_version_signers_list_every_signer_with_state(project, vendor_lead):
    version = _acceptance(project)
    assert _states(version) == [("customer_lead", SignerState.WAITING), ("vendor_lead", SignerState.NOT_YET)]
    assert [signer.person for signer in version_signers(version)] == [project.customer_lead, vendor_lead]

    _sign(version, project.customer_lead)
    version.refresh_from_db()
    signers = version_signers(version)
    assert _states(version) == [("customer_lead", SignerState.SIGNED), ("vendor_lead", SignerState.WAITING)]
    assert (signers[0].typed_name, signers[0].side, signers[1].signed_at) == (
        _name(project.customer_lead),
        "customer",
        None,
    )
    assert signers[0].signed_at == Signature.objects.get(version=version).signed_at

    _sign(version, vendor_lead)
    version.refresh_from_db()
    assert _states(version) == [("customer_lead", SignerState.SIGNED), ("vendor_lead", SignerState.SIGNED)]


def test_version_signers_of_a_draft_are_not_asked_yet(project):
    deliverable = deliverable_get_or_create(project=project, code="final_acceptance_report")
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=ACCEPTANCE)

    assert _states(version) == [("customer_lead", SignerState.NOT_ASKED), ("vendor_lead", SignerState.NOT_ASKED)]


def test_waiting_list_shows_a_version_only_when_it_is_my_turn(project, vendor_lead):
    version = _acceptance(project)
    assert version_list_waiting_for_signature(user=vendor_lead) == []
    assert version_list_waiting_for_signature(user=project.customer_lead) == [version]

    _sign(version, project.customer_lead)

    assert version_list_waiting_for_signature(user=project.customer_lead) == []
    assert version_list_waiting_for_signature(user=vendor_lead) == [version]
    assert version_list_waiting_for_signature(user=project.vendor_pm) == []


def test_a_type_may_add_signers_and_they_sign_in_the_declared_order(project):
    """A customised template may add signers: here the customer's technical lead signs second."""
    tech_lead = CustomerUserFactory(profile__organization=project.customer)
    ProjectMemberFactory(project=project, user=tech_lead, role=MemberRole.CUSTOMER_TECH_LEAD)
    plan_type = DeliverableType.objects.get(code="requirements_confirmation")
    plan_type.signer_roles = ["customer_lead", "customer_tech_lead", "vendor_pm"]
    plan_type.save()
    version = version_submit(
        version=VersionFactory(deliverable=DeliverableFactory(project=project, type=plan_type)),
        user=project.vendor_pm,
        meta=META,
    )

    with pytest.raises(SignatureRefused) as refused:
        _sign(version, tech_lead)
    assert refused.value.messages == [
        f"还没轮到您：{_name(project.customer_lead)}（客户方项目负责人）需先签署此版本；轮到您时会通知您。"
    ]

    _sign(version, project.customer_lead)
    assert version_list_waiting_for_signature(user=tech_lead) == [version]
    _sign(version, tech_lead)
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED
    _sign(version, project.vendor_pm)

    version.refresh_from_db()
    assert version.state == VersionState.CONFIRMED
    assert list(version.signatures.order_by("signed_at").values_list("role", "signer_id")) == [
        ("customer_lead", project.customer_lead_id),
        ("customer_tech_lead", tech_lead.pk),
        ("vendor_pm", project.vendor_pm_id),
    ]


def test_submit_is_refused_when_a_declared_signer_is_not_named(project):
    plan_type = DeliverableType.objects.get(code="requirements_confirmation")
    plan_type.signer_roles = ["customer_lead", "customer_tech_lead"]
    plan_type.save()
    version = VersionFactory(deliverable=DeliverableFactory(project=project, type=plan_type))

    with pytest.raises(ValidationError) as refused:
        version_submit(version=version, user=project.vendor_pm, meta=META)

    assert refused.value.messages == ["项目中没有客户方技术负责人来签署此交付物。"]
    version.refresh_from_db()
    assert (version.state, version.sha256, version.events.filter(kind=EventKind.SUBMITTED).count()) == (
        VersionState.DRAFT,
        "",
        0,
    )


# --- Pages ---------------------------------------------------------------------------------------


def test_version_page_lists_every_signer_with_status(client, project, vendor_lead):
    version = _acceptance(project)
    _sign(version, project.customer_lead)
    client.force_login(project.vendor_pm)

    page = client.get(reverse("documents:version", args=[project.code, "final_acceptance_report", 1]))

    html = page.content.decode()
    signers = html[html.index('id="signers"') :]
    assert 'data-role="customer_lead" data-state="signed"' in signers
    assert 'data-role="vendor_lead" data-state="waiting"' in signers
    assert _name(project.customer_lead) in signers
    assert _name(vendor_lead) in signers
    assert "等待其签署" in signers
    assert [s.state for s in page.context["signers"]] == [SignerState.SIGNED, SignerState.WAITING]


def test_sign_page_out_of_turn_says_why_and_shows_no_form(client, project):
    version = _acceptance(project)
    client.force_login(project.vendor_pm)

    response = client.get(reverse("documents:sign", args=[project.code, "final_acceptance_report", 1]), follow=True)

    lead = _name(project.customer_lead)
    assert [str(m) for m in response.context["messages"]] == [
        f"还没轮到您：{lead}（客户方项目负责人）需先签署此版本；轮到您时会通知您。"
    ]
    assert response.context["can_sign"] is False
    assert version.signatures.count() == 0


def test_sign_post_out_of_turn_changes_nothing(client, project):
    version = _acceptance(project)
    client.force_login(project.vendor_pm)

    client.post(
        reverse("documents:sign", args=[project.code, "final_acceptance_report", 1]),
        {"typed_name": _name(project.vendor_pm), "password": DEFAULT_PASSWORD, "consent": "on"},
    )

    version.refresh_from_db()
    assert (version.state, version.signatures.count()) == (VersionState.SUBMITTED, 0)


def test_sign_page_is_404_for_another_projects_lead(client, project):
    _acceptance(project)
    client.force_login(ProjectFactory().customer_lead)

    response = client.get(reverse("documents:sign", args=[project.code, "final_acceptance_report", 1]))

    assert response.status_code == 404


@pytest.mark.parametrize("signed", [1, 2])
def test_version_page_with_three_signers_query_count_is_constant(
    client, django_assert_num_queries, project, vendor_lead, signed
):
    tech_lead = CustomerUserFactory(profile__organization=project.customer)
    ProjectMemberFactory(project=project, user=tech_lead, role=MemberRole.CUSTOMER_TECH_LEAD)
    DeliverableType.objects.filter(code="requirements_confirmation").update(
        signer_roles=["customer_lead", "customer_tech_lead", "vendor_lead"]
    )
    draft = VersionFactory(deliverable__project=project, number=1)
    version = version_submit(version=draft, user=project.vendor_pm, meta=META)
    for signer in [project.customer_lead, tech_lead][:signed]:
        _sign(version, signer)
    client.force_login(project.vendor_pm)

    # the page's usual queries + the signatures' signers + the team's technical lead
    with django_assert_num_queries(QUERIES_VERSION_PAGE + 2):
        response = client.get(reverse("documents:version", args=[project.code, "requirements_confirmation", 1]))

    assert [s.state for s in response.context["signers"]][signed] == SignerState.WAITING


def test_sealed_pdf_and_verification_list_both_signers_in_order(client, project, vendor_lead, certificate):
    import subprocess

    from sealing.tasks import sealed_pdf_render_task

    version = _acceptance(project)
    _sign(version, project.customer_lead)
    _sign(version, vendor_lead)
    sealed_pdf_render_task(model="documents.deliverableversion", pk=version.pk)
    version.refresh_from_db()
    data = version.pdf.read()

    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True).stdout.decode()
    customer = text.index(f"客户方项目负责人：{_name(project.customer_lead)}")
    vendor = text.index(f"交付方项目负责人：{_name(vendor_lead)}")
    assert customer < vendor
    assert text.count("签署方式：在线签署") == 2
    page = client.post(reverse("documents:verify"), {"file": _pdf_upload(data)}).content.decode()
    assert page.index("客户方项目负责人") < page.index("交付方项目负责人")
    assert _name(vendor_lead) in page


def _pdf_upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("signed.pdf", data, content_type="application/pdf")
