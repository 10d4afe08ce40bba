"""The deliverable lifecycle through its services (SPEC §2, §3)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.tests.factories import DEFAULT_PASSWORD, CustomerUserFactory, VendorUserFactory
from delivery.audit import RequestMeta
from delivery.tests.outbox import effects_recorded
from documents.enums import EventKind, VersionState
from documents.models import DeliverableVersion, Signature, StoredSecret
from documents.services import (
    deliverable_get_or_create,
    version_confirm_offline,
    version_draft_create,
    version_draft_update,
    version_return,
    version_sign,
    version_submit,
)
from notifications.models import Notification
from projects.tests.factories import ProjectFactory
from sealing.credentials import SignatureRefused
from sealing.enums import PdfStatus

from .factories import REQUIREMENTS, VersionFactory

pytestmark = pytest.mark.django_db

META = RequestMeta(ip_address="10.1.2.3", user_agent="pytest-browser/1.0")


@pytest.fixture
def draft():
    return VersionFactory(number=1)


def _submit(version) -> DeliverableVersion:
    return version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)


def _sign(version, **overrides) -> Signature:
    lead = version.deliverable.project.customer_lead
    arguments = {"typed_name": lead.get_full_name(), "password": DEFAULT_PASSWORD, "consent": True}
    return version_sign(version=version, user=lead, meta=META, **{**arguments, **overrides})


def test_submit_freezes_hashes_and_notifies_the_lead(draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        version = _submit(draft)

    assert version.state == VersionState.SUBMITTED
    assert len(version.sha256) == 64
    assert version.submitted_at is not None
    lead = draft.deliverable.project.customer_lead
    notification = Notification.objects.get(recipient=lead)
    assert notification.verb == "documents.submitted"
    assert notification.url == f"/projects/{draft.deliverable.project.code}/deliverables/requirements_confirmation/v1/"
    assert list(version.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED]


def test_submit_by_someone_other_than_the_vendor_pm_is_refused(draft):
    with pytest.raises(PermissionDenied):
        version_submit(version=draft, user=VendorUserFactory(), meta=META)

    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT
    assert draft.sha256 == ""


def test_submit_empty_requirements_is_refused_with_reason(draft):
    draft.content = {"items": []}
    draft.save()

    with pytest.raises(ValidationError) as error:
        _submit(draft)

    assert error.value.messages == ["“条目”至少需要 1 行。"]
    draft.refresh_from_db()
    assert draft.state == VersionState.DRAFT


def test_submitted_version_cannot_be_edited(draft):
    version = _submit(draft)

    with pytest.raises(ValidationError):
        version_draft_update(
            version=version, user=version.deliverable.project.vendor_pm, meta=META, content=REQUIREMENTS
        )


def test_sign_confirms_records_everything_and_schedules_pdf(draft, django_capture_on_commit_callbacks):
    version = _submit(draft)

    with django_capture_on_commit_callbacks(execute=False), effects_recorded() as recorded:
        signature = _sign(version)

    version.refresh_from_db()
    assert version.state == VersionState.CONFIRMED
    assert version.pdf_status == PdfStatus.PENDING
    assert signature.signer == version.deliverable.project.customer_lead
    assert signature.ip_address == "10.1.2.3"
    assert signature.user_agent == "pytest-browser/1.0"
    assert signature.version_sha256 == version.sha256
    assert signature.side == "customer"
    assert recorded == ["mail.notification", "pdf.version"]  # notification e-mail and PDF rendering


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"typed_name": "别人"}, "typed_name", "请输入与账户一致的全名："),
        ({"password": "wrong"}, "password", "密码不正确。"),
        ({"consent": False}, "consent", "请勾选确认框，表明您签署此版本。"),
    ],
)
def test_sign_with_wrong_details_records_nothing(draft, overrides, field, message):
    version = _submit(draft)

    with pytest.raises(SignatureRefused) as error:
        _sign(version, **overrides)

    assert error.value.message_dict[field][0].startswith(message)
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED
    assert Signature.objects.count() == 0


def test_sign_by_someone_else_is_refused(draft):
    version = _submit(draft)
    stranger = CustomerUserFactory(profile__organization=version.deliverable.project.customer)

    with pytest.raises(PermissionDenied):
        version_sign(
            version=version,
            user=stranger,
            meta=META,
            typed_name=stranger.get_full_name(),
            password=DEFAULT_PASSWORD,
            consent=True,
        )

    assert Signature.objects.count() == 0


def test_second_signature_on_same_version_is_refused(draft):
    version = _submit(draft)
    _sign(version)

    with pytest.raises(SignatureRefused):
        _sign(version)

    assert Signature.objects.count() == 1


def test_sign_a_draft_is_refused(draft):
    with pytest.raises(SignatureRefused):
        _sign(draft)


def test_return_needs_a_comment_and_creates_the_next_draft(draft):
    version = _submit(draft)
    lead = version.deliverable.project.customer_lead

    with pytest.raises(ValidationError):
        version_return(version=version, user=lead, meta=META, comment="  ")
    new_draft = version_return(version=version, user=lead, meta=META, comment="第 2 条请写明邮箱数量。")

    version.refresh_from_db()
    assert version.state == VersionState.RETURNED
    assert version.return_comment == "第 2 条请写明邮箱数量。"
    assert new_draft.number == 2
    assert new_draft.state == VersionState.DRAFT
    assert new_draft.content == version.content


def test_later_confirmation_supersedes_the_earlier_one(draft):
    first = _submit(draft)
    _sign(first)
    pm = first.deliverable.project.vendor_pm
    second = version_draft_create(deliverable=first.deliverable, user=pm, meta=META)
    version_draft_update(
        version=second,
        user=pm,
        meta=META,
        content={"items": [*first.content["items"], {"kind": "requirement", "text": "新增：移动端访问。"}]},
    )

    _sign(_submit(second))

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == VersionState.SUPERSEDED
    assert second.state == VersionState.CONFIRMED


def test_only_one_open_version_at_a_time(draft):
    with pytest.raises(ValidationError):
        version_draft_create(deliverable=draft.deliverable, user=draft.deliverable.project.vendor_pm, meta=META)


def test_offline_confirmation_needs_the_vendor_pm_and_keeps_evidence(draft):
    evidence = SimpleUploadedFile("确认函.pdf", b"%PDF-1.4 scan", content_type="application/pdf")

    with pytest.raises(PermissionDenied):
        version_confirm_offline(
            version=draft, user=draft.deliverable.project.customer_lead, meta=META, kind="paper", evidence=evidence
        )
    version = version_confirm_offline(
        version=draft,
        user=draft.deliverable.project.vendor_pm,
        meta=META,
        kind="paper",
        evidence=evidence,
        note="纸质签字版",
    )

    assert version.state == VersionState.CONFIRMED
    assert version.offline_kind == "paper"
    assert version.offline_evidence.name.endswith(".pdf")
    assert list(version.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED, EventKind.CONFIRMED_OFFLINE]


def test_implementation_report_passwords_are_stored_encrypted_only():
    project = ProjectFactory()
    pm = project.vendor_pm
    deliverable = deliverable_get_or_create(project=project, code="implementation_report")
    version = version_draft_create(deliverable=deliverable, user=pm, meta=META, content={})
    content = {
        "architecture": "双机热备",
        "accounts": [{"uid": "a1", "system": "邮件管理台", "username": "admin", "password": "", "note": ""}],
    }

    version = version_draft_update(
        version=version, user=pm, meta=META, content=content, secrets={"a1:password": "Init-Pass-2026"}
    )

    assert version.content["accounts"][0]["password"] == "set"
    assert "Init-Pass-2026" not in str(version.content)
    secret = StoredSecret.objects.get(version=version)
    assert "Init-Pass-2026" not in secret.ciphertext
    assert Notification.objects.filter(context__icontains="Init-Pass").count() == 0


def test_gate_status_follows_the_deliverable_states(draft):
    from documents.selectors import deliverable_gate_status

    project = draft.deliverable.project
    codes = ["requirements_confirmation", "project_plan"]
    assert deliverable_gate_status(project=project, codes=codes) == {
        "requirements_confirmation": False,
        "project_plan": False,
    }

    _sign(_submit(draft))

    assert deliverable_gate_status(project=project, codes=codes) == {
        "requirements_confirmation": True,
        "project_plan": False,
    }


def test_final_acceptance_needs_both_leads_signatures():
    import datetime as dt

    from golive.services import acceptance_meeting_record

    project = ProjectFactory(golive_applies=False)
    # Final acceptance is signed once the acceptance meeting is held (ERP method; golive.rules).
    acceptance_meeting_record(
        project=project, user=project.vendor_pm, held_on=dt.date(2026, 1, 5), place="会议室", attendees="双方项目组"
    )
    deliverable = deliverable_get_or_create(project=project, code="final_acceptance_report")
    content = {
        "notice_time": "2026-12-20 10:00",
        "notice_place": "苏州总部 3 楼会议室",
        "attendees": "双方项目组",
        "duration": "2026-04-01 至 2026-12-20",
        "stages": "启动、规划、执行、收尾",
        "modules": "邮件、归档",
        "evaluation": "良好",
    }
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=content)
    version = _submit(version)

    _sign(version)
    version.refresh_from_db()
    assert version.state == VersionState.SUBMITTED  # the customer lead signed; the vendor PM has not

    pm = project.vendor_pm
    version_sign(
        version=version, user=pm, meta=META, typed_name=pm.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )
    version.refresh_from_db()
    assert version.state == VersionState.CONFIRMED
    assert sorted(version.signatures.values_list("side", flat=True)) == ["customer", "vendor"]


def test_handover_record_starts_with_the_open_problems():
    from documents.pages import initial_content
    from golive.services import problem_report

    project = ProjectFactory()
    problem_report(
        project=project,
        user=project.customer_lead,
        description="归档检索偶发超时",
        severity="minor",
        support_mode="remote",
    )

    assert initial_content(project=project, code="handover_record") == {"open_problems": "#1 [待处理] 归档检索偶发超时"}


def test_recall_of_a_submitted_version_is_the_vendor_pms_and_is_logged(draft):
    from documents.services import version_recall

    version = _submit(draft)
    with pytest.raises(PermissionDenied):
        version_recall(version=version, user=version.deliverable.project.customer_lead, meta=META, reason="x")

    version_recall(version=version, user=version.deliverable.project.vendor_pm, meta=META, reason="已发出新的通知")

    version.refresh_from_db()
    assert (version.state, version.return_comment) == (VersionState.RETURNED, "已发出新的通知")
    assert list(version.events.values_list("kind", flat=True)) == [EventKind.SUBMITTED, EventKind.RETURNED]


def test_notifications_name_the_deliverable_in_each_readers_language(django_capture_on_commit_callbacks):

    version = VersionFactory(number=1)
    lead = version.deliverable.project.customer_lead
    lead.profile.language = "en"
    lead.profile.save()

    with django_capture_on_commit_callbacks(execute=True):
        version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=RequestMeta())

    notification = Notification.objects.get(recipient=lead)
    code = version.deliverable.project.code
    pm_name = version.deliverable.project.vendor_pm.get_full_name()
    with translation.override("en"):
        english = notification.message
    with translation.override("zh-hans"):
        chinese = notification.message
    assert english == f"{pm_name} submitted {code} · Requirements confirmation version 1 for your signature"
    assert chinese == f"{pm_name} 提交了 {code} · 需求确认单 第 1 版，请您签署"
    assert english in mail.outbox[0].body
