"""Service-period compensation for 4.1 and 4.2 changes: 15 working days from go-live (§4.1, §4.2)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from changes.enums import ChangeEventKind, ChangeKind, ClaimState
from changes.models import CompensationClaim
from changes.services import (
    change_reply,
    change_review_start,
    claim_answer,
    claim_file,
    claim_window,
    compensation_windows_open,
)
from deadlines.calendar import TZ
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.services import deadline_sweep
from notifications.models import Notification
from projects.models import Project

from .factories import META, change_approved, change_filed, version_signed

pytestmark = pytest.mark.django_db

GOLIVE = date(2026, 10, 30)  # Friday; 15 working days → Friday 2026-11-20
WINDOW_END = datetime(2026, 11, 21, 0, 0, tzinfo=TZ)
IN_WINDOW = datetime(2026, 11, 20, 23, 0, tzinfo=TZ)


def _windows(change) -> list[tuple[str, str]]:
    return [
        (d.status, d.due_date.isoformat())
        for d in Deadline.objects.filter(target_id=change.pk, rule=RuleCode.COMPENSATION_CLAIM).order_by("id")
    ]


def _claim(change, user, *, now=IN_WINDOW, days=10):
    return claim_file(change=change, user=user, meta=META, days_requested=days, reason="变更导致服务期缩短。", now=now)


def test_windows_open_for_approved_4_1_and_4_2_changes_only(project, pm, lead):
    vendor = change_approved(project, kind=ChangeKind.VENDOR_INITIATED)
    at_fault = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    customer = change_approved(project, kind=ChangeKind.CUSTOMER_REASONS)
    force = change_approved(project, kind=ChangeKind.FORCE_MAJEURE)
    pending = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    rejected = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)
    change_review_start(change=rejected, user=pm, meta=META)
    change_reply(change=rejected, user=pm, meta=META, accept=False, reasons="不同意", findings="无")

    opened = compensation_windows_open(project=project, golive_on=GOLIVE)

    assert [d.target_id for d in opened] == [vendor.pk, at_fault.pk]
    assert _windows(vendor) == _windows(at_fault) == [(DeadlineStatus.OPEN, "2026-11-20")]
    assert _windows(customer) == _windows(force) == _windows(pending) == _windows(rejected) == []
    assert list(opened[0].recipients.all()) == [lead]
    assert vendor.events.get(kind=ChangeEventKind.CLAIM_WINDOW_OPENED).comment == "2026-10-30 → 2026-11-20"


def test_opening_windows_is_idempotent(project):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)

    first = compensation_windows_open(project=project, golive_on=GOLIVE)
    second = compensation_windows_open(project=project, golive_on=GOLIVE)

    assert (len(first), second) == (1, [])
    assert _windows(change) == [(DeadlineStatus.OPEN, "2026-11-20")]


def test_a_corrected_golive_date_replaces_the_open_window(project):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    compensation_windows_open(project=project, golive_on=date(2026, 11, 2))

    assert _windows(change) == [(DeadlineStatus.CANCELLED, "2026-11-20"), (DeadlineStatus.OPEN, "2026-11-23")]


def test_claim_within_the_window(project, pm, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    claim = _claim(change, lead)

    assert (claim.state, claim.days_requested, claim.filed_by, claim.filed_at) == (
        ClaimState.FILED,
        10,
        lead,
        IN_WINDOW,
    )
    assert claim_window(change).status == DeadlineStatus.MET
    assert Notification.objects.get(verb="changes.claim_filed").recipient == pm
    assert change.events.filter(kind=ChangeEventKind.CLAIM_FILED).count() == 1


def test_claim_after_the_window_is_refused_with_the_closing_date(project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_INITIATED)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    with pytest.raises(ValidationError) as error:
        _claim(change, lead, now=WINDOW_END)

    assert error.value.messages == ["索赔期已于 2026-11-20 结束，不能再提出补偿索赔。"]
    assert CompensationClaim.objects.count() == 0


def test_claim_after_the_sweep_closed_the_window_is_refused(project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    deadline_sweep(now=WINDOW_END + timedelta(minutes=5))
    deadline_sweep(now=WINDOW_END + timedelta(minutes=10))

    assert claim_window(change).status == DeadlineStatus.EXPIRED
    assert change.events.filter(kind=ChangeEventKind.CLAIM_WINDOW_CLOSED).count() == 1
    with pytest.raises(ValidationError) as error:
        _claim(change, lead, now=WINDOW_END + timedelta(days=1))
    assert error.value.messages == ["索赔期已于 2026-11-20 结束，不能再提出补偿索赔。"]


def test_the_customer_lead_is_reminded_before_the_window_closes(project, lead):
    change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    deadline_sweep(now=datetime(2026, 11, 19, 9, 0, tzinfo=TZ))

    reminder = Notification.objects.get(verb="deadlines.reminder")
    assert (reminder.recipient, reminder.context_for_reader()["rule"], reminder.context["due"]) == (
        lead,
        "服务期补偿申请期",
        "2026-11-20",
    )


def test_claim_before_golive_is_refused(project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)

    with pytest.raises(ValidationError) as error:
        _claim(change, lead)

    assert error.value.messages == ["索赔期自系统上线起算（§4.1、§4.2）；尚未记录上线日期。"]


@pytest.mark.parametrize("kind", [ChangeKind.CUSTOMER_REASONS, ChangeKind.FORCE_MAJEURE])
def test_no_compensation_for_4_3_and_4_4(project, lead, kind):
    change = change_approved(project, kind=kind)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    with pytest.raises(ValidationError) as error:
        _claim(change, lead)

    assert error.value.messages == ["只有 4.1、4.2 类变更可以申请补偿（§4）。"]


def test_no_compensation_for_a_change_not_accepted(project, lead):
    change = change_filed(project, kind=ChangeKind.VENDOR_AT_FAULT)

    with pytest.raises(ValidationError) as error:
        _claim(change, lead)

    assert error.value.messages == ["只有已接受或已达成一致的变更可以申请补偿。"]


def test_only_the_customer_lead_claims_and_only_once(project, pm, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    with pytest.raises(PermissionDenied):
        _claim(change, pm)
    _claim(change, lead)
    with pytest.raises(ValidationError) as error:
        _claim(change, lead)

    assert error.value.messages == ["该变更已经提出过补偿索赔。"]
    assert CompensationClaim.objects.count() == 1


def test_claim_needs_days_and_a_reason(project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)

    with pytest.raises(ValidationError) as error:
        claim_file(change=change, user=lead, meta=META, days_requested=0, reason=" ", now=IN_WINDOW)

    assert error.value.message_dict == {
        "days_requested": ["申请补偿的服务天数至少为 1 天。"],
        "reason": ["请说明索赔理由。"],
    }


def test_change_approved_after_golive_gets_its_window_from_the_golive_date(project):
    Project.objects.filter(pk=project.pk).update(golive_on=GOLIVE)
    project.refresh_from_db()

    change = change_approved(project, kind=ChangeKind.VENDOR_INITIATED)

    assert _windows(change) == [(DeadlineStatus.OPEN, "2026-11-20")]


# --- Answers --------------------------------------------------------------------------------


@pytest.fixture
def claim(project, lead):
    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    compensation_windows_open(project=project, golive_on=GOLIVE)
    return _claim(change, lead)


def test_pm_accepts_the_claim_with_days_granted(claim, pm, lead):
    claim_answer(claim=claim, user=pm, meta=META, accept=True, days_granted=7, reasons="按实际影响批准 7 天。")

    claim.refresh_from_db()
    assert (claim.state, claim.days_granted, claim.answered_by) == (ClaimState.ACCEPTED, 7, pm)
    assert Notification.objects.get(verb="changes.claim_accepted").recipient == lead


def test_pm_rejects_the_claim_with_reasons(claim, pm):
    claim_answer(claim=claim, user=pm, meta=META, accept=False, reasons="服务期未受影响。")

    claim.refresh_from_db()
    assert (claim.state, claim.days_granted, claim.answer_reasons) == (ClaimState.REJECTED, None, "服务期未受影响。")


def test_answer_rules(claim, pm, lead):
    with pytest.raises(PermissionDenied):
        claim_answer(claim=claim, user=lead, meta=META, accept=True, days_granted=10)
    with pytest.raises(ValidationError) as no_days:
        claim_answer(claim=claim, user=pm, meta=META, accept=True, days_granted=None)
    with pytest.raises(ValidationError) as no_reasons:
        claim_answer(claim=claim, user=pm, meta=META, accept=False, reasons="")
    claim_answer(claim=claim, user=pm, meta=META, accept=False, reasons="不予补偿。")
    with pytest.raises(ValidationError) as twice:
        claim_answer(claim=claim, user=pm, meta=META, accept=True, days_granted=3)

    assert no_days.value.message_dict == {"days_granted": ["请填写批准补偿的服务天数。"]}
    assert no_reasons.value.message_dict == {"reasons": ["请说明驳回索赔的理由。"]}
    assert twice.value.messages == ["该索赔已经处理。"]
    claim.refresh_from_db()
    assert claim.state == ClaimState.REJECTED


# --- Go-live (the go-live work calls compensation_windows_open when the project goes live) -----


def test_signing_the_golive_confirmation_opens_the_windows(project, pm, lead):
    from golive.services import golive_actual_record

    change = change_approved(project, kind=ChangeKind.VENDOR_AT_FAULT)
    confirmation = golive_actual_record(
        project=project, user=pm, meta=META, went_live_on=GOLIVE, statement="系统已按需求确认单投入生产。"
    )

    version_signed(confirmation)

    project.refresh_from_db()
    assert project.golive_on == GOLIVE
    assert _windows(change) == [(DeadlineStatus.OPEN, "2026-11-20")]
