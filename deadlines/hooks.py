"""Rule codes → what happens when a deadline of that rule runs out.

Extension point of the deadline engine. Listeners: the app that owns a rule's row in
``deadlines.clocks.CLOCKS`` registers its effect from ``AppConfig.ready`` through its
``rules.register()`` (changes/rules.py, golive/rules.py, support/rules.py), e.g.::

    register_rule(RuleCode.CHANGE_REPLY, effect=change_reply_overdue, reminder_recipients=change_reply_people)

The engine knows no rule by name; the clause shown to the administrator comes from the table.

A deadline whose rule nobody registered yet stays open; the sweep logs a warning and goes on.

When the calendar changes after a deadline's effect fired (a year's schedule published after a
clock ran on the provisional one), the rule also says what may happen to that effect: ``withdraw``
(the rule may withdraw it, e.g. an overdue flag), ``irreversible`` (never undone automatically:
flagged for the administrator with ``clause``), or neither (the effect stands, the record says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .clocks import CLOCKS

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Deadline

Effect = Callable[["Deadline"], None]
Recipients = Callable[["Deadline"], Iterable["AbstractBaseUser"]]
Describe = Callable[["Deadline"], str]
# Returns a CorrectionOutcome value: WITHDRAWN (the awaited act is still awaited: the deadline runs
# again to its correct end), WITHDRAWN_MET (the act happened before the correct end), ADMIN_REVIEW
# (this effect cannot be withdrawn after all) or STANDS (nothing to withdraw).
Withdraw = Callable[["Deadline"], str]


@dataclass(frozen=True)
class Rule:
    code: str
    # Runs inside the sweep's transaction, right after the deadline is marked expired: anything it
    # writes commits or rolls back with that claim. Work outside the database (e-mails, PDFs) is
    # recorded as an effect (delivery/effects.py), which commits or rolls back with it too.
    effect: Effect
    # Who gets the reminder one working day before the due date; default: the deadline's recipients.
    reminder_recipients: Recipients | None = None
    # A short text naming what the deadline is about, for notifications; default: the target's str().
    describe: Describe | None = None
    # Both sides' people the rule concerns: told when the calendar moves or corrects the deadline;
    # default: the deadline's recipients.
    people: Recipients | None = None
    # The effect may be withdrawn when a calendar correction shows it fired before the correct end.
    # Runs in the correcting transaction, after the deadline's due_at was set to the correct end.
    withdraw: Withdraw | None = None
    # The effect can never be undone automatically (a deemed acceptance): a correction that finds
    # it fired early flags it for the administrator.
    irreversible: bool = False
    # The clause of the manual the effect rests on, shown to the administrator (e.g. "§3.1.4").
    clause: str = ""


_RULES: dict[str, Rule] = {}


def register_rule(
    code: str,
    *,
    effect: Effect,
    reminder_recipients: Recipients | None = None,
    describe: Describe | None = None,
    people: Recipients | None = None,
    withdraw: Withdraw | None = None,
    irreversible: bool = False,
    clause: str = "",
) -> Rule:
    if withdraw is not None and irreversible:
        raise ValueError(f"Rule {code!r}: an irreversible effect cannot also be withdrawn.")
    if str(code) not in CLOCKS:
        raise ValueError(f"Rule {code!r} has no row in deadlines.clocks.CLOCKS.")
    rule = Rule(
        code=str(code),
        effect=effect,
        reminder_recipients=reminder_recipients,
        describe=describe,
        people=people,
        withdraw=withdraw,
        irreversible=irreversible,
        clause=clause or CLOCKS[str(code)].clause,
    )
    _RULES[rule.code] = rule
    return rule


def unregister_rule(code: str) -> None:
    _RULES.pop(str(code), None)


def get_rule(code: str) -> Rule | None:
    return _RULES.get(str(code))


def registered_codes() -> list[str]:
    return sorted(_RULES)
