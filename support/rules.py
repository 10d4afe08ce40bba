"""The support clocks' effects with the deadline engine (lengths and clauses: deadlines.clocks).

The sweep claims each due deadline once and runs the effect in the same transaction.
"""

from __future__ import annotations

from deadlines.enums import RuleCode
from deadlines.hooks import register_rule

from .services.clocks import (
    STEP_RULES,
    support_request_confirmed_by_silence,
    support_request_describe,
    support_request_response_missed,
    support_request_response_overdue_withdraw,
    support_request_step_missed,
)


def register() -> None:
    """From SupportConfig.ready. A calendar correction may withdraw an early overdue flag; completion
    by silence changed the request's state and is never undone automatically (the administrator
    reviews it); an overdue escalation of a later step that went out stands (the record says so)."""
    register_rule(
        RuleCode.SUPPORT_RESPONSE,
        effect=support_request_response_missed,
        describe=support_request_describe,
        withdraw=support_request_response_overdue_withdraw,
    )
    register_rule(
        RuleCode.SALES_CONFIRMATION,
        effect=support_request_confirmed_by_silence,
        describe=support_request_describe,
        irreversible=True,
    )
    # The table's later steps and the proposal's agreed tier.
    for code in STEP_RULES:
        register_rule(code, effect=support_request_step_missed, describe=support_request_describe)
