"""Every clock of the product in one table: what starts it, how long it runs, what happens at its end.

The engine (``deadline_open``) takes a clock's length and way of counting from here when the caller
does not give them; the rules' registration (``deadlines.hooks``) takes the clause from here; the
pages show the lengths from here. Each rule's effect is registered by the app that owns it, in its
``AppConfig.ready`` (``<app>/rules.py``); ``deadlines/tests/test_clocks.py`` lists them all.

``length`` is in working days; ``None`` means the caller chooses it per deadline (the support
procedure's table and the proposal tier agreed with the customer).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from .enums import Clock, RuleCode


@dataclass(frozen=True)
class ClockSpec:
    code: str
    length: int | None
    unit: str  # a Clock value: how the length is counted
    start: str  # the event that starts the clock
    effect: str  # what happens when it runs out
    clause: str  # the manual's clause the rule rests on
    owner: str  # the app that registers the effect


def _final_acceptance_days() -> int:
    # A setting, so a contract may ask for another stable-operation period (default 22, about a month).
    return settings.FINAL_ACCEPTANCE_STABLE_WORKING_DAYS


CLOCKS: dict[str, ClockSpec] = {
    spec.code: spec
    for spec in (
        ClockSpec(
            code=RuleCode.CHANGE_REPLY,
            length=5,
            unit=Clock.WORKING_DAYS,
            start=_("a 4.2 or 4.3 change letter is received"),
            effect=_("the letter is marked overdue and both leads are told"),
            clause="§4.2, §4.3",
            owner="changes",
        ),
        ClockSpec(
            code=RuleCode.COMPENSATION_CLAIM,
            length=15,
            unit=Clock.WORKING_DAYS,
            start=_("the project goes live (actual or deemed)"),
            effect=_("the compensation claim window closes"),
            clause="§4.1, §4.2",
            owner="changes",
        ),
        ClockSpec(
            code=RuleCode.GOLIVE_OBJECTION,
            length=15,
            unit=Clock.WORKING_DAYS,
            start=_("the go-live notice reaches the customer lead"),
            effect=_("without a written objection, go-live is deemed accepted"),
            clause="§3.1.4",
            owner="golive",
        ),
        ClockSpec(
            code=RuleCode.GOLIVE_ARRANGEMENT,
            length=15,
            unit=Clock.WORKING_DAYS,
            start=_("the planned go-live start day"),
            effect=_("without a written objection, go-live is deemed accepted"),
            clause="§3.1.4",
            owner="golive",
        ),
        ClockSpec(
            code=RuleCode.FINAL_ACCEPTANCE_REMINDER,
            length=None,  # settings.FINAL_ACCEPTANCE_STABLE_WORKING_DAYS, read when the clock opens
            unit=Clock.WORKING_DAYS,
            start=_("the project goes live"),
            effect=_("both leads are reminded to prepare the final acceptance"),
            clause="§3.1.4",
            owner="golive",
        ),
        ClockSpec(
            code=RuleCode.SUPPORT_RESPONSE,
            length=1,
            unit=Clock.SUPPORT_RESPONSE,
            start=_("a support request is filed"),
            effect=_("the request is marked overdue and escalated"),
            clause="§6",
            owner="support",
        ),
        ClockSpec(
            code=RuleCode.SUPPORT_ENGINEER_RESPONSE,
            length=None,  # support.enums.STEP_CLOCKS
            unit=Clock.SUPPORT_CUTOFF,
            start=_("a support request is filed"),
            effect=_("the missed step is escalated"),
            clause="§6",
            owner="support",
        ),
        ClockSpec(
            code=RuleCode.SUPPORT_WORK_START,
            length=None,  # support.enums.STEP_CLOCKS
            unit=Clock.SUPPORT_CUTOFF,
            start=_("a support request is filed"),
            effect=_("the missed step is escalated"),
            clause="§6",
            owner="support",
        ),
        ClockSpec(
            code=RuleCode.SUPPORT_PROPOSAL,
            length=None,  # the tier agreed with the customer: support.enums.PROPOSAL_TIER_DAYS
            unit=Clock.SUPPORT_CUTOFF,
            start=_("a support request is filed"),
            effect=_("the missed step is escalated"),
            clause="§6",
            owner="support",
        ),
        ClockSpec(
            code=RuleCode.SALES_CONFIRMATION,
            length=1,
            unit=Clock.WORKING_DAYS,
            start=_("the engineer reports the support work completed"),
            effect=_("the completion is confirmed by silence"),
            clause="§6",
            owner="support",
        ),
    )
}


def clock_spec(code: str) -> ClockSpec:
    return CLOCKS[str(code)]


def clock_length(code: str) -> int | None:
    """The clock's length in working days (the configured stable period for the final-acceptance reminder)."""
    if str(code) == RuleCode.FINAL_ACCEPTANCE_REMINDER:
        return _final_acceptance_days()
    return clock_spec(code).length


# For pages and translated texts that name a length: {{ clock_days.change_reply }}.
clock_length_lazy = lazy(clock_length, int)
