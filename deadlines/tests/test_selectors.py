from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory
from deadlines.calendar import TZ
from deadlines.enums import Clock, RuleCode
from deadlines.selectors import deadline_list_for_target, deadline_list_upcoming, deadline_statement
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


def test_deadline_statement_in_both_languages_with_the_provisional_note():

    deadline = deadline_open(
        target=OrganizationFactory(),
        rule=RuleCode.CHANGE_REPLY,
        started_at=datetime(2026, 12, 28, 10, 0, tzinfo=TZ),
        working_days=5,
    )

    statement = deadline_statement(deadline=deadline)

    assert (statement.due.isoformat(), statement.provisional) == ("2027-01-05", True)
    assert statement.explanations == {
        "zh-hans": "5 个工作日，自 2026-12-28 起算 → 2027-01-05；跳过法定节假日（临时，放假安排尚未发布）：元旦 01-01；"
        "跳过周末：01-02 至 01-03；2027 年放假安排尚未发布：仅按法定节假日计算，不含调休，为临时结果",
        "en": "5 working day(s) after 2026-12-28 → 2027-01-05; statutory holidays skipped (provisional, schedule not "
        "published): New Year's Day 01-01; weekends skipped: 01-02 to 01-03; calendar for 2027 not published yet: "
        "statutory holidays only, no make-up days, provisional",
    }
    assert statement.notes["en"] == (
        "Computed across a year whose official calendar is not published yet: the date may still change."
    )
    assert [code for code, _text, _note in statement.lines] == ["zh-hans", "en"]
