"""The context of a change letter's page: the letter, its timeline and deadlines, and the steps
the user may take now (listed from the state machine, not repeated in the template)."""

from __future__ import annotations

from datetime import datetime

from django.forms import Form

from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.selectors import deadline_list_for_target
from documents.models import DeliverableType
from documents.permissions import user_is_vendor

from . import selectors
from .enums import APPROVED_STATES, COMPENSATION_KINDS, IMPLEMENTING_DELIVERABLES, ChangeKind, ChangeState, ClaimState
from .forms import ClaimAnswerForm, CommentForm, NoteForm, ReplyForm, WithdrawForm
from .models import ChangeRequest
from .permissions import (
    user_can_answer_claim,
    user_can_file_claim,
    user_can_implement,
    user_is_either_lead,
    user_takes_part,
)
from .services import window_refusal

IMPLEMENTABLE_STATES = (ChangeState.ACCEPTED, ChangeState.AGREED, ChangeState.IMPLEMENTING)


def _draftable(change: ChangeRequest, versions: list, user) -> list[DeliverableType]:
    """The deliverables the vendor PM can still draft a version of for this change."""
    if change.state not in IMPLEMENTABLE_STATES or not user_can_implement(change, user):
        return []
    linked = {link.deliverable.type.code for link in versions}
    codes = [code for code in IMPLEMENTING_DELIVERABLES if code not in linked]
    return list(DeliverableType.objects.filter(code__in=codes).order_by("position")) if codes else []


def change_page_context(*, change: ChangeRequest, user, now: datetime, forms: dict[str, Form]) -> dict:
    actions = {transition.name for transition in change.get_available_user_state_transitions(user)}
    versions = list(selectors.change_version_list(change=change))
    claim = selectors.change_claim(change=change)
    deadlines = list(deadline_list_for_target(target=change))
    windows = [d for d in deadlines if d.rule == RuleCode.COMPENSATION_CLAIM and d.status != DeadlineStatus.CANCELLED]
    window = max(windows, key=lambda d: d.pk) if windows else None
    compensable = change.kind in COMPENSATION_KINDS and change.state in APPROVED_STATES
    context = {
        "project": change.project,
        "change": change,
        "actions": actions,
        "events": selectors.change_event_list(change=change),
        "deadlines": deadlines,
        "versions": versions,
        "attachments": list(change.attachments.all()),
        "pdfs": selectors.change_pdfs(change=change),
        "claim": claim,
        "draftable": _draftable(change, versions, user),
        "can_comment": user_takes_part(change, user),
        # 4.1, 4.4: while negotiating, either lead proposes terms (or counters the other's).
        "can_propose": change.state == ChangeState.IN_NEGOTIATION and user_is_either_lead(change, user),
        "compensable": compensable,
        "claim_refusal": window_refusal(window, now=now) if compensable and claim is None else None,
        "can_claim": compensable and claim is None and user_can_file_claim(change, user),
        "can_answer_claim": claim is not None
        and claim.state == ClaimState.FILED
        and user_can_answer_claim(claim, user),
        "is_vendor": user_is_vendor(user),
        "now": now,
    }
    context.update(
        reply_form=forms.get("reply_form")
        or ReplyForm(needs_findings=change.kind == ChangeKind.VENDOR_AT_FAULT, initial={"decision": "accept"}),
        agree_form=forms.get("agree_form") or NoteForm(),
        withdraw_form=forms.get("withdraw_form") or WithdrawForm(),
        comment_form=forms.get("comment_form") or CommentForm(),
        claim_answer_form=forms.get("claim_answer_form") or ClaimAnswerForm(initial={"decision": "accept"}),
    )
    return context
