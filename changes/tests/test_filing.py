"""Filing a change letter: who may file which kind (§4), what a letter must say, what it starts."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.tests.factories import AdminUserFactory, CustomerUserFactory, make_vendor_manager
from changes.enums import ChangeDocument, ChangeEventKind, ChangeKind, ChangeState
from changes.models import ChangePdf, ChangeRequest
from changes.permissions import filing_kinds
from deadlines.calendar import TZ
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.selectors import deadline_list_for_target
from delivery.tests.outbox import effect_kinds
from notifications.models import Notification
from projects.enums import MemberRole, Side
from projects.tests.factories import ProjectFactory, ProjectMemberFactory

from .factories import change_filed

pytestmark = pytest.mark.django_db

PM_ONLY = "只有交付方项目经理可以提出 4.1 类（交付方发起）变更说明函。"
LEAD_ONLY = "只有客户方项目负责人可以提出 4.2、4.3 类（客户方发起）变更说明函。"
EITHER_LEAD = "只有双方的项目负责人可以提出 4.4 类（不可抗力）变更说明函。"


def _people(project) -> dict:
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    customer_member = ProjectMemberFactory(project=project, role=MemberRole.CUSTOMER_MEMBER).user
    manager = ProjectMemberFactory(project=project, role=MemberRole.DELIVERY_CONSULTANT).user
    make_vendor_manager(manager)
    return {
        "pm": project.vendor_pm,
        "lead": project.customer_lead,
        "engineer": engineer,
        "customer_member": customer_member,
        "manager": manager,
        "admin": AdminUserFactory(),
    }


@pytest.mark.parametrize(
    ("person", "kinds"),
    [
        ("pm", ["4.1", "4.4"]),
        ("lead", ["4.2", "4.3", "4.4"]),
        ("engineer", []),
        ("customer_member", []),
        ("manager", []),
        ("admin", []),
    ],
)
def test_filing_rights_per_kind_and_side(person, kinds):
    project = ProjectFactory()
    user = _people(project)[person]

    assert filing_kinds(project=project, user=user) == kinds


@pytest.mark.parametrize(
    ("person", "kind", "message"),
    [
        ("lead", ChangeKind.VENDOR_INITIATED, PM_ONLY),
        ("engineer", ChangeKind.VENDOR_INITIATED, PM_ONLY),
        ("admin", ChangeKind.VENDOR_INITIATED, PM_ONLY),
        ("pm", ChangeKind.VENDOR_AT_FAULT, LEAD_ONLY),
        ("pm", ChangeKind.CUSTOMER_REASONS, LEAD_ONLY),
        ("customer_member", ChangeKind.CUSTOMER_REASONS, LEAD_ONLY),
        ("manager", ChangeKind.FORCE_MAJEURE, EITHER_LEAD),
        ("customer_member", ChangeKind.FORCE_MAJEURE, EITHER_LEAD),
    ],
)
def test_filing_refused_with_the_reason_and_nothing_changed(person, kind, message):
    project = ProjectFactory()
    user = _people(project)[person]

    with pytest.raises(ValidationError) as error:
        change_filed(project, kind=kind, user=user)

    assert error.value.message_dict == {"kind": [message]}
    assert ChangeRequest.objects.count() == 0
    assert Notification.objects.filter(verb="changes.filed").count() == 0


def test_filing_needs_a_receiving_lead():
    project = ProjectFactory(customer_lead=None)

    with pytest.raises(ValidationError) as error:
        change_filed(project, kind=ChangeKind.VENDOR_INITIATED)

    assert error.value.message_dict == {"kind": ["项目没有对方项目负责人接收说明函，请先指定。"]}


def test_unknown_kind_is_refused(project, pm):
    with pytest.raises(ValidationError) as error:
        change_filed(project, kind="4.9", user=pm)

    assert error.value.message_dict == {"kind": ["未知的变更说明函类型。"]}


def test_4_2_filed_by_the_customer_lead(project, pm, lead, django_capture_on_commit_callbacks):
    received = datetime(2026, 9, 28, 10, 0, tzinfo=TZ)

    with django_capture_on_commit_callbacks():
        change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT, now=received)

    assert (change.number, change.state, change.initiating_side, change.initiated_by) == (
        1,
        ChangeState.SUBMITTED,
        Side.CUSTOMER,
        lead,
    )
    assert change.received_at == received
    assert len(change.letter_sha256) == 64
    assert list(change.events.values_list("kind", "actor", "ip_address")) == [
        (ChangeEventKind.FILED, lead.pk, "10.0.0.8")
    ]
    deadline = deadline_list_for_target(target=change).get()
    assert (deadline.rule, deadline.status, deadline.working_days) == (RuleCode.CHANGE_REPLY, DeadlineStatus.OPEN, 5)
    assert list(deadline.recipients.all()) == [pm]
    assert ChangePdf.objects.get(change=change).document == ChangeDocument.LETTER
    notification = Notification.objects.get(verb="changes.filed")
    assert notification.recipient == pm
    assert notification.message == f"{lead.get_full_name()} 提出了变更说明函 {project.code} #1 归档邮箱容量调整（§4.2）"
    assert notification.url == f"/projects/{project.code}/changes/1/"
    assert effect_kinds() == ["mail.notification", "pdf.change"]  # the PM's e-mail, the letter's PDF


def test_4_1_filed_by_the_pm_reaches_the_customer_lead_without_a_reply_clock(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)

    assert (change.initiating_side, change.initiated_by) == (Side.VENDOR, pm)
    assert deadline_list_for_target(target=change).count() == 0
    assert list(Notification.objects.filter(verb="changes.filed").values_list("recipient", flat=True)) == [lead.pk]


@pytest.mark.parametrize(("person", "side"), [("pm", Side.VENDOR), ("lead", Side.CUSTOMER)])
def test_4_4_filed_by_either_lead_records_the_side(project, person, side):
    user = {"pm": project.vendor_pm, "lead": project.customer_lead}[person]

    change = change_filed(project, kind=ChangeKind.FORCE_MAJEURE, user=user)

    assert change.initiating_side == side
    assert deadline_list_for_target(target=change).count() == 0


def test_numbers_count_per_project(project):
    other = ProjectFactory()

    numbers = [change_filed(project).number, change_filed(project).number, change_filed(other).number]

    assert numbers == [1, 2, 1]


def test_letter_must_say_what_changes(project):
    with pytest.raises(ValidationError) as error:
        change_filed(project, title=" ", reason="", requirements_change="", plan_change="  ")

    assert error.value.message_dict == {
        "title": ["请填写说明函标题。"],
        "reason": ["请说明变更原因。"],
        "requirements_change": ["请填写对需求、项目计划或两者的变更内容。"],
    }
    assert ChangeRequest.objects.count() == 0


def test_attachments_are_stored_and_fingerprinted(project):
    scan = SimpleUploadedFile("客户函件.pdf", b"%PDF-1.4 test", content_type="application/pdf")

    change = change_filed(project, attachments=[scan])
    without = change_filed(project)

    attachment = change.attachments.get()
    assert (attachment.name, attachment.size) == ("客户函件.pdf", 13)
    assert len(attachment.sha256) == 64
    assert change.letter_sha256 != without.letter_sha256


def test_attachment_of_a_forbidden_type_is_refused(project):
    script = SimpleUploadedFile("run.exe", b"MZ", content_type="application/octet-stream")

    with pytest.raises(ValidationError) as error:
        change_filed(project, attachments=[script])

    assert list(error.value.message_dict) == ["attachments"]
    assert ChangeRequest.objects.count() == 0


def test_customer_user_of_another_customer_cannot_file(project):
    outsider = CustomerUserFactory()

    assert filing_kinds(project=project, user=outsider) == []
