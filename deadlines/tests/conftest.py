"""Fixtures of the deadline engine's tests."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, fields

import pytest
from django.core.management import call_command

from accounts.tests.factories import UserFactory
from deadlines.calendar import calendar_invalidate
from deadlines.enums import RuleCode
from deadlines.hooks import get_rule, register_rule, unregister_rule
from deadlines.models import CalendarYear
from notifications.services import notification_create


def _seed_if_missing() -> None:
    if not CalendarYear.objects.exists():
        call_command("calendar_seed", stdout=io.StringIO())
    calendar_invalidate()


@pytest.fixture(scope="module", autouse=True)
def official_calendar_committed(django_db_setup, django_db_blocker):
    """The data migration seeds the calendar, but a transactional test (browser, concurrency,
    another app's) flushes the tables when it ends: seed again, committed, before each module."""
    with django_db_blocker.unblock():
        _seed_if_missing()


@pytest.fixture(autouse=True)
def official_calendar(db):
    """Each test sees the official calendar and builds its own calendar snapshot."""
    _seed_if_missing()  # only after a transactional test earlier in the same module
    yield
    calendar_invalidate()


@dataclass
class EffectRecorder:
    """A throwaway rule effect that leaves a trace in the database (rolled back with its claim)."""

    witness: object
    calls: list[int] = field(default_factory=list)
    fail_on: set[int] = field(default_factory=set)  # raise after writing: a failure half-way
    kill_on: set[int] = field(default_factory=set)  # raise BaseException: the process dies

    def __call__(self, deadline) -> None:
        self.calls.append(deadline.pk)
        notification_create(
            recipients=[self.witness],
            verb="system.message",
            context={"text": f"effect of deadline {deadline.pk}"},
            target=deadline,
            send_email=False,
        )
        if deadline.pk in self.fail_on:
            raise RuntimeError("effect failed half-way")
        if deadline.pk in self.kill_on:
            raise KeyboardInterrupt("sweep killed half-way")


@pytest.fixture
def recorder(db) -> EffectRecorder:
    return EffectRecorder(witness=UserFactory(username="effect-witness"))


@pytest.fixture
def change_reply_rule(recorder):
    """Register change_reply with the recording effect for the test, then restore what was there."""
    code = RuleCode.CHANGE_REPLY
    previous = get_rule(code)
    rule = register_rule(code, effect=recorder)
    yield rule
    unregister_rule(code)
    if previous is not None:
        register_rule(**{each.name: getattr(previous, each.name) for each in fields(previous)})
