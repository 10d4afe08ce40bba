"""Registers the effects of the support deadlines with the deadline engine (imported at app ready).

The sweep claims each due deadline once and runs the effect in the same transaction.
"""

from deadlines.enums import RuleCode
from deadlines.registry import register_rule

from .services.clocks import support_confirmed_by_silence, support_request_describe, support_response_missed

register_rule(RuleCode.SUPPORT_RESPONSE, effect=support_response_missed, describe=support_request_describe)
register_rule(RuleCode.SALES_CONFIRMATION, effect=support_confirmed_by_silence, describe=support_request_describe)
