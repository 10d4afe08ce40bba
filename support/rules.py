"""Registers the effects of the support deadlines with the deadline engine (imported at app ready).

The sweep claims each due deadline once and runs the effect in the same transaction.
"""

from deadlines.enums import RuleCode
from deadlines.registry import register_rule

from .services.clocks import (
    STEP_RULES,
    support_request_confirmed_by_silence,
    support_request_describe,
    support_request_response_missed,
    support_request_response_overdue_withdraw,
    support_request_step_missed,
)

# A calendar correction may withdraw an early overdue flag; completion by silence changed the
# request's state and is never undone automatically (the administrator reviews it).
register_rule(
    RuleCode.SUPPORT_RESPONSE,
    effect=support_request_response_missed,
    describe=support_request_describe,
    withdraw=support_request_response_overdue_withdraw,
    clause="§6",
)
register_rule(
    RuleCode.SALES_CONFIRMATION,
    effect=support_request_confirmed_by_silence,
    describe=support_request_describe,
    irreversible=True,
    clause="§6",
)
# The table's later steps and the proposal's agreed tier: an overdue escalation that went out
# stands after a calendar correction (the record says so).
for code in STEP_RULES:
    register_rule(code, effect=support_request_step_missed, describe=support_request_describe, clause="§6")
