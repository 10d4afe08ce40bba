from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory
from deadlines.enums import Clock, RuleCode
from deadlines.selectors import deadline_list_for_target, deadline_list_upcoming
from deadlines.services import deadline_mark_met, deadline_open
from deadlines.tests.factories import WORKED_START

pytestmark = pytest.mark.django_db


def open_for(target, *, days: int, rule=RuleCode.CHANGE_REPLY):
    return deadline_open(target=target, rule=rule, started_at=WORKED_START, working_days=days)


def test_upcoming_lists_open_deadlines_of_the_given_targets_soonest_first():
    mine, other = OrganizationFactory(), OrganizationFactory()
    later = open_for(mine, days=10)
    sooner = open_for(mine, days=2)
    met = open_for(mine, days=1)
    deadline_mark_met(deadline=met)
    open_for(other, days=1)

    upcoming = deadline_list_upcoming(targets=Organization.objects.filter(pk=mine.pk))

    assert list(upcoming) == [sooner, later]


def test_upcoming_within_days_uses_calendar_days_from_now():
    target = OrganizationFactory()
    soon = open_for(target, days=1)  # due end of 2026-09-29
    open_for(target, days=10)  # due end of 2026-10-16

    upcoming = deadline_list_upcoming(
        targets=Organization.objects.all(), now=WORKED_START + timedelta(hours=1), within_days=3
    )

    assert list(upcoming) == [soon]


@pytest.mark.parametrize("targets", [1, 3])
def test_upcoming_is_one_query_whatever_the_number_of_targets(targets):
    for _ in range(targets):
        open_for(OrganizationFactory(), days=5)

    with CaptureQueriesContext(connection) as queries:
        rows = list(deadline_list_upcoming(targets=Organization.objects.all()))

    assert len(rows) == targets
    assert len([q for q in queries if "deadlines_deadline" in q["sql"]]) == 1


def test_list_for_target_includes_closed_deadlines():
    target = OrganizationFactory()
    first = open_for(target, days=1)
    deadline_mark_met(deadline=first)
    support = deadline_open(
        target=target, rule=RuleCode.SUPPORT_RESPONSE, started_at=WORKED_START, clock=Clock.SUPPORT_RESPONSE
    )

    assert list(deadline_list_for_target(target=target)) == [support, first]
