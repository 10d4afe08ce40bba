"""The change clocks' effects with the deadline engine (lengths and clauses: deadlines.clocks)."""

from __future__ import annotations

from deadlines.enums import RuleCode
from deadlines.hooks import register_rule

from .services import (
    change_describe,
    change_reply_concerned,
    change_reply_overdue,
    change_reply_overdue_withdraw,
    change_reply_people,
    claim_window_closed,
    claim_window_concerned,
    claim_window_people,
    claim_window_reopen,
)


def register() -> None:
    """From ChangesConfig.ready. A calendar correction may withdraw both effects: an early overdue
    flag, an early close of the claim window."""
    register_rule(
        RuleCode.CHANGE_REPLY,
        effect=change_reply_overdue,
        reminder_recipients=change_reply_people,
        describe=change_describe,
        people=change_reply_concerned,
        withdraw=change_reply_overdue_withdraw,
    )
    register_rule(
        RuleCode.COMPENSATION_CLAIM,
        effect=claim_window_closed,
        reminder_recipients=claim_window_people,
        describe=change_describe,
        people=claim_window_concerned,
        withdraw=claim_window_reopen,
    )
