"""Each kind's path through the state machine (§4), its forbidden steps, and who may take them."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import AdminUserFactory, VendorUserFactory
from changes.enums import ChangeDocument, ChangeEventKind, ChangeKind, ChangeState
from changes.models import ChangePdf, ChangeRequest
from changes.services import (
    change_agree,
    change_agreement_propose,
    change_comment,
    change_negotiation_start,
    change_reply,
    change_review_start,
    change_withdraw,
)
from deadlines.enums import DeadlineStatus
from deadlines.selectors import deadline_list_for_target
from delivery.tests.outbox import effects_recorded
from notifications.models import Notification
from projects.enums import MemberRole
from projects.tests.factories import ProjectMemberFactory

from .factories import META, change_filed

pytestmark = pytest.mark.django_db


def _events(change) -> list[str]:
    return list(change.events.order_by("at", "id").values_list("kind", flat=True))


def _state(change) -> str:
    return ChangeRequest.objects.get(pk=change.pk).state


# --- 4.2 and 4.3: submitted → under review → accepted | rejected ------------------------------


def test_4_2_path_review_then_accept(project, pm, lead, django_capture_on_commit_callbacks):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)

    change_review_start(change=change, user=pm, meta=META)
    with django_capture_on_commit_callbacks(), effects_recorded() as recorded:
        change = change_reply(
            change=change,
            user=pm,
            meta=META,
            accept=True,
            reasons="确属交付质量问题。",
            findings="部署脚本遗漏归档参数。",
        )

    change.refresh_from_db()
    assert change.state == ChangeState.ACCEPTED
    assert (change.reply_accepted, change.reply_late, change.replied_by) == (True, False, pm)
    assert change.reply_findings == "部署脚本遗漏归档参数。"
    assert len(change.reply_sha256) == 64
    assert _events(change) == [ChangeEventKind.FILED, ChangeEventKind.REVIEW_STARTED, ChangeEventKind.ACCEPTED]
    assert list(ChangePdf.objects.filter(change=change).order_by("document").values_list("document", flat=True)) == [
        ChangeDocument.LETTER,
        ChangeDocument.REPLY,
    ]
    # The reply's PDF task and the e-mail to the customer lead wait for the commit.
    assert recorded == ["mail.notification", "pdf.change"]
    assert list(Notification.objects.filter(recipient=lead).values_list("verb", flat=True).order_by("id")) == [
        "changes.review_started",
        "changes.accepted",
    ]
    assert [d.status for d in deadline_list_for_target(target=change)] == [DeadlineStatus.MET]


def test_4_3_path_review_then_reject_needs_no_findings(project, pm):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_review_start(change=change, user=pm, meta=META)

    change_reply(change=change, user=pm, meta=META, accept=False, reasons="超出合同范围，需另行签订补充协议。")

    change.refresh_from_db()
    assert change.state == ChangeState.REJECTED
    assert (change.reply_accepted, change.reply_findings) == (False, "")


def test_4_2_reply_requires_reasons_and_findings(project, pm):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    change_review_start(change=change, user=pm, meta=META)

    with pytest.raises(ValidationError) as error:
        change_reply(change=change, user=pm, meta=META, accept=True, reasons=" ", findings="")

    assert error.value.message_dict == {
        "reasons": ["请说明答复理由。"],
        "findings": ["§4.2：请填写内部调查的结论。"],
    }
    assert _state(change) == ChangeState.UNDER_REVIEW


def test_reply_before_the_review_started_is_refused(project, pm):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)

    with pytest.raises(ValidationError) as error:
        change_reply(change=change, user=pm, meta=META, accept=True, reasons="同意")

    assert error.value.messages == ["变更说明函当前状态（已提交）下不能进行此操作。"]
    assert _state(change) == ChangeState.SUBMITTED


def test_second_reply_is_refused(project, pm):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_review_start(change=change, user=pm, meta=META)
    change_reply(change=change, user=pm, meta=META, accept=True, reasons="同意")

    with pytest.raises(ValidationError) as error:
        change_reply(change=change, user=pm, meta=META, accept=False, reasons="改为不同意")

    assert error.value.messages == ["该变更说明函已经答复。"]
    change.refresh_from_db()
    assert (change.state, change.reply_reasons) == (ChangeState.ACCEPTED, "同意")


@pytest.mark.parametrize("kind", [ChangeKind.VENDOR_AT_FAULT, ChangeKind.CUSTOMER_REASONS])
def test_only_the_vendor_pm_reviews_and_replies(project, lead, kind):
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    change = change_filed(project, kind=kind)

    for user in (lead, engineer, AdminUserFactory()):
        with pytest.raises(PermissionDenied):
            change_review_start(change=change, user=user, meta=META)

    assert _state(change) == ChangeState.SUBMITTED
    assert _events(change) == [ChangeEventKind.FILED]


@pytest.mark.parametrize("kind", [ChangeKind.VENDOR_INITIATED, ChangeKind.FORCE_MAJEURE])
def test_negotiated_kinds_are_not_reviewed_or_replied_to(project, pm, lead, kind):
    change = change_filed(project, kind=kind, user=pm)

    with pytest.raises(ValidationError) as error:
        change_review_start(change=change, user=pm, meta=META)
    with pytest.raises(ValidationError) as reply:
        change_reply(change=change, user=lead, meta=META, accept=True, reasons="同意")

    assert error.value.messages == ["4.1 和 4.4 类变更说明函由双方协商，不走审查与答复流程。"]
    assert reply.value.messages == ["4.1 和 4.4 类变更说明函由双方协商，不走审查与答复流程。"]
    assert (_state(change), change.events.count()) == (ChangeState.SUBMITTED, 1)
    assert _state(change) == ChangeState.SUBMITTED


# --- 4.1 and 4.4: submitted → in negotiation → agreed | withdrawn ------------------------------


def test_4_1_path_terms_proposed_by_the_customer_lead_and_confirmed_by_the_vendor(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)

    change_negotiation_start(change=change, user=lead, meta=META)
    change_agreement_propose(change=change, user=lead, meta=META, note="双方同意将上线日期顺延两周。")
    assert _state(change) == ChangeState.IN_NEGOTIATION  # one side alone does not agree
    change_agree(change=change, user=pm, meta=META)

    change.refresh_from_db()
    assert change.state == ChangeState.AGREED
    assert (change.reply_accepted, change.reply_reasons, change.replied_by, change.agreement_proposed_by) == (
        True,
        "双方同意将上线日期顺延两周。",
        pm,
        lead,
    )
    assert _events(change) == [
        ChangeEventKind.FILED,
        ChangeEventKind.NEGOTIATION_STARTED,
        ChangeEventKind.AGREEMENT_PROPOSED,
        ChangeEventKind.AGREED,
    ]
    assert deadline_list_for_target(target=change).count() == 0  # no reply clock for 4.1
    assert list(Notification.objects.filter(recipient=pm).values_list("verb", flat=True).order_by("id")) == [
        "changes.negotiation_started",
        "changes.agreement_proposed",
    ]
    assert Notification.objects.filter(recipient=lead).latest("id").verb == "changes.agreed"


def test_4_4_counter_proposal_then_confirmed_by_the_first_side(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.FORCE_MAJEURE, user=lead)

    with pytest.raises(PermissionDenied):
        change_negotiation_start(change=change, user=lead, meta=META)  # the initiator does not answer itself
    change_negotiation_start(change=change, user=pm, meta=META)
    change_agreement_propose(change=change, user=pm, meta=META, note="现场实施改为远程。")
    change_agreement_propose(change=change, user=lead, meta=META, note="现场实施改为远程，费用不变。")
    with pytest.raises(ValidationError) as own:
        change_agree(change=change, user=lead, meta=META)
    change_agree(change=change, user=pm, meta=META)

    change.refresh_from_db()
    assert own.value.messages == ["这些条款是您提出的：应由另一方负责人确认（或提出修改）。"]
    assert (change.state, change.reply_reasons) == (ChangeState.AGREED, "现场实施改为远程，费用不变。")
    assert _events(change)[-2:] == [ChangeEventKind.AGREEMENT_COUNTERED, ChangeEventKind.AGREED]


def test_agreement_confirmation_by_an_outsider_is_denied_and_changes_nothing(project, lead):
    from accounts.tests.factories import VendorUserFactory

    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    change_negotiation_start(change=change, user=lead, meta=META)
    change_agreement_propose(change=change, user=lead, meta=META, note="同意")

    with pytest.raises(PermissionDenied):
        change_agree(change=change, user=VendorUserFactory(), meta=META)
    with pytest.raises(PermissionDenied):
        change_agreement_propose(change=change, user=VendorUserFactory(), meta=META, note="改")

    change.refresh_from_db()
    assert (change.state, change.agreement_proposal) == (ChangeState.IN_NEGOTIATION, "同意")


def test_agreement_without_proposed_terms_is_refused(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    change_negotiation_start(change=change, user=lead, meta=META)

    with pytest.raises(ValidationError) as refused:
        change_agree(change=change, user=pm, meta=META)

    assert refused.value.messages == ["尚未提出条款：由一方负责人提出，另一方确认。"]
    assert _state(change) == ChangeState.IN_NEGOTIATION


def test_4_4_withdrawn_by_the_initiator_during_negotiation(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.FORCE_MAJEURE, user=pm)
    change_negotiation_start(change=change, user=lead, meta=META)

    with pytest.raises(PermissionDenied):
        change_withdraw(change=change, user=lead, meta=META, reason="不是发起方")
    change_withdraw(change=change, user=pm, meta=META, reason="台风影响已解除，无需变更。")

    change.refresh_from_db()
    assert change.state == ChangeState.WITHDRAWN
    assert change.withdrawn_at is not None
    assert change.events.get(kind=ChangeEventKind.WITHDRAWN).comment == "台风影响已解除，无需变更。"


def test_agreement_before_negotiation_is_refused(project, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)

    with pytest.raises(ValidationError) as propose:
        change_agreement_propose(change=change, user=lead, meta=META, note="同意")
    with pytest.raises(ValidationError) as agree:
        change_agree(change=change, user=lead, meta=META)

    assert propose.value.messages == ["变更说明函当前状态（已提交）下不能进行此操作。"]
    assert agree.value.messages == ["变更说明函当前状态（已提交）下不能进行此操作。"]
    assert _state(change) == ChangeState.SUBMITTED
    assert (change.events.count(), ChangeRequest.objects.get(pk=change.pk).agreement_proposal) == (1, "")


def test_agreement_needs_a_note(project, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    change_negotiation_start(change=change, user=lead, meta=META)

    with pytest.raises(ValidationError) as error:
        change_agreement_propose(change=change, user=lead, meta=META, note="  ")

    assert error.value.message_dict == {"note": ["请记录双方达成一致的内容。"]}
    assert _state(change) == ChangeState.IN_NEGOTIATION


# --- Withdrawal -------------------------------------------------------------------------------


@pytest.mark.parametrize("reviewed", [False, True])
def test_4_2_withdrawn_before_the_reply_cancels_the_clock(project, pm, lead, reviewed):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    if reviewed:
        change_review_start(change=change, user=pm, meta=META)

    change_withdraw(change=change, user=lead, meta=META, reason="问题已由客户自行解决。")

    assert _state(change) == ChangeState.WITHDRAWN
    deadline = deadline_list_for_target(target=change).get()
    assert (deadline.status, deadline.cancel_reason) == (DeadlineStatus.CANCELLED, "change letter withdrawn")


def test_withdrawal_after_the_reply_is_refused(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_review_start(change=change, user=pm, meta=META)
    change_reply(change=change, user=pm, meta=META, accept=False, reasons="不同意")

    with pytest.raises(ValidationError) as error:
        change_withdraw(change=change, user=lead, meta=META, reason="撤回")

    assert error.value.messages == ["该变更说明函已经答复。"]
    assert _state(change) == ChangeState.REJECTED


def test_withdrawn_letter_takes_no_further_step(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)
    change_withdraw(change=change, user=lead, meta=META, reason="撤回")

    with pytest.raises(ValidationError) as error:
        change_review_start(change=change, user=pm, meta=META)

    assert error.value.messages == ["该变更说明函已撤回。"]


def test_withdrawal_needs_a_reason(project, lead):
    change = change_filed(project, kind=ChangeKind.CUSTOMER_REASONS)

    with pytest.raises(ValidationError) as error:
        change_withdraw(change=change, user=lead, meta=META, reason="")

    assert error.value.message_dict == {"reason": ["请说明撤回的原因。"]}
    assert _state(change) == ChangeState.SUBMITTED


def test_the_new_lead_of_the_initiating_side_may_withdraw(project, pm):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)
    successor = VendorUserFactory()
    project.vendor_pm = successor
    project.save()

    with pytest.raises(PermissionDenied):
        change_withdraw(change=change, user=pm, meta=META, reason="原项目经理")
    change_withdraw(change=change, user=successor, meta=META, reason="由新项目经理撤回")

    assert _state(change) == ChangeState.WITHDRAWN


# --- Comments -------------------------------------------------------------------------------


def test_leads_comment_and_the_other_side_is_told(project, pm, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)

    change_comment(change=change, user=lead, meta=META, text="请补充延期对上线日期的影响。")

    event = change.events.get(kind=ChangeEventKind.COMMENTED)
    assert (event.actor, event.comment, event.ip_address) == (lead, "请补充延期对上线日期的影响。", "10.0.0.8")
    assert Notification.objects.get(recipient=pm, verb="changes.commented").message == (
        f"{lead.get_full_name()} 对变更说明函 {project.code} #1 归档邮箱容量调整 发表了意见"
    )


def test_team_members_who_are_not_leads_cannot_comment(project):
    engineer = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    change = change_filed(project, kind=ChangeKind.VENDOR_INITIATED)

    with pytest.raises(PermissionDenied):
        change_comment(change=change, user=engineer, meta=META, text="意见")

    assert change.events.filter(kind=ChangeEventKind.COMMENTED).count() == 0


@pytest.mark.parametrize("kind", [ChangeKind.VENDOR_AT_FAULT, ChangeKind.CUSTOMER_REASONS])
def test_reply_kinds_are_not_negotiated_or_agreed(project, pm, kind):
    change = change_filed(project, kind=kind)

    with pytest.raises(ValidationError) as error:
        change_negotiation_start(change=change, user=pm, meta=META)
    with pytest.raises(ValidationError) as agree:
        change_agree(change=change, user=pm, meta=META)

    assert error.value.messages == ["4.2 和 4.3 类变更说明函由交付方审查并答复，不走协商流程。"]
    assert agree.value.messages == ["4.2 和 4.3 类变更说明函由交付方审查并答复，不走协商流程。"]
    assert change.events.count() == 1
    assert _state(change) == ChangeState.SUBMITTED
