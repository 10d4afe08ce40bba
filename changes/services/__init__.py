"""Writes and workflows of the changes app (SPEC §4): change letters in .letters, compensation
claims in .claims, shared helpers in .common. Import from here."""

from .claims import (
    claim_answer,
    claim_file,
    claim_window,
    claim_window_closed,
    claim_window_open,
    claim_window_people,
    claim_window_refusal,
    compensation_windows_open,
    window_refusal,
)
from .common import change_label, change_pdf_store, reply_deadline
from .letters import (
    change_agree,
    change_comment,
    change_describe,
    change_file,
    change_negotiation_start,
    change_reply,
    change_reply_overdue,
    change_reply_people,
    change_review_start,
    change_version_accepted,
    change_version_draft,
    change_withdraw,
)

__all__ = [
    "change_agree",
    "change_comment",
    "change_describe",
    "change_file",
    "change_label",
    "change_negotiation_start",
    "change_pdf_store",
    "change_reply",
    "change_reply_overdue",
    "change_reply_people",
    "change_review_start",
    "change_version_accepted",
    "change_version_draft",
    "change_withdraw",
    "claim_answer",
    "claim_file",
    "claim_window",
    "claim_window_closed",
    "claim_window_open",
    "claim_window_people",
    "claim_window_refusal",
    "compensation_windows_open",
    "reply_deadline",
    "window_refusal",
]
