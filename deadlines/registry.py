"""Rule codes → what happens when a deadline of that rule runs out.

The engine knows no rule by name: the app that owns a rule (changes, documents, support...)
registers it at app-ready time, e.g. in its ``apps.py``::

    register_rule(RuleCode.CHANGE_REPLY, effect=change_reply_overdue, reminder_recipients=change_reply_people)

A deadline whose rule nobody registered yet stays open; the sweep logs a warning and goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    from .models import Deadline

Effect = Callable[["Deadline"], None]
Recipients = Callable[["Deadline"], Iterable["AbstractBaseUser"]]
Describe = Callable[["Deadline"], str]


@dataclass(frozen=True)
class Rule:
    code: str
    # Runs inside the sweep's transaction, right after the deadline is marked expired: anything it
    # writes commits or rolls back with that claim. Work outside the database (e-mails, Celery
    # tasks) must be scheduled with transaction.on_commit.
    effect: Effect
    # Who gets the reminder one working day before the due date; default: the deadline's recipients.
    reminder_recipients: Recipients | None = None
    # A short text naming what the deadline is about, for notifications; default: the target's str().
    describe: Describe | None = None


_RULES: dict[str, Rule] = {}


def register_rule(
    code: str,
    *,
    effect: Effect,
    reminder_recipients: Recipients | None = None,
    describe: Describe | None = None,
) -> Rule:
    rule = Rule(code=str(code), effect=effect, reminder_recipients=reminder_recipients, describe=describe)
    _RULES[rule.code] = rule
    return rule


def unregister_rule(code: str) -> None:
    _RULES.pop(str(code), None)


def get_rule(code: str) -> Rule | None:
    return _RULES.get(str(code))


def registered_codes() -> list[str]:
    return sorted(_RULES)
