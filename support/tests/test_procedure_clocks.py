"""The procedure's tables of clocks (SPEC §6, "申请、确认、响应时间一览表" and "方案完成时间商定"):
the n-th working day counting the request's own day as the 1st; one working day later when the
request came at or after 12:00 or on a rest day. PRC 2026 calendar: Mid-autumn 09-25..27, National
Day 10-01..07, make-up working days 09-20 and 10-10."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from deadlines.calendar import TZ, current_calendar
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.selectors import deadline_list_for_target
from deadlines.services import deadline_sweep
from notifications.models import Notification
from projects.tests.factories import ProjectFactory
from support.enums import EventKind, PlanningDocumentKind
from support.planning import planning_sections_initial
from support.services import (
    planning_document_save,
    support_request_accept,
    support_request_briefing_record,
    support_request_file,
    support_request_proposal_agree,
    support_request_work_start,
)

from . import flows
from .conftest import META

pytestmark = pytest.mark.django_db

MONDAY_MORNING = dt.datetime(2026, 9, 21, 9, 0, tzinfo=TZ)
MONDAY_AFTERNOON = dt.datetime(2026, 9, 21, 15, 0, tzinfo=TZ)


@pytest.mark.parametrize(
    ("received", "n", "cutoff", "due"),
    [
        (MONDAY_MORNING, 1, True, dt.date(2026, 9, 21)),  # same working day
        (MONDAY_MORNING, 2, True, dt.date(2026, 9, 22)),
        (MONDAY_MORNING, 4, True, dt.date(2026, 9, 24)),
        (MONDAY_AFTERNOON, 1, True, dt.date(2026, 9, 22)),  # next day
        (MONDAY_AFTERNOON, 2, True, dt.date(2026, 9, 23)),  # 3rd
        (MONDAY_AFTERNOON, 4, True, dt.date(2026, 9, 28)),  # 5th: 09-25 is Mid-autumn
        # Received on a holiday: counting starts the next working day, like after 12:00.
        (dt.datetime(2026, 9, 26, 9, 0, tzinfo=TZ), 2, True, dt.date(2026, 9, 29)),
        # The proposal's last tier: the 9th working day whatever the hour.
        (MONDAY_MORNING, 9, False, dt.date(2026, 10, 9)),
        (MONDAY_AFTERNOON, 9, False, dt.date(2026, 10, 9)),
    ],
)
def test_support_table_counts_the_request_day_as_the_first(received, n, cutoff, due):
    computation = current_calendar().support_table_detail(received, n, cutoff=cutoff)

    assert computation.due_date == due


def _file(cast, moment, *, project=None):
    with time_machine.travel(moment, tick=False):
        return support_request_file(
            user=cast.sales,
            meta=META,
            customer=cast.customer,
            project=project,
            customer_contact=cast.contact,
            mode="on_site",
            description="邮件网关队列堆积",
        )


def _clocks(request) -> list[tuple[str, str, str]]:
    return [
        (d.rule, d.due_date.isoformat(), d.status)
        for d in sorted(deadline_list_for_target(target=request), key=lambda d: d.id)
    ]


def test_filing_starts_the_three_clocks_of_the_table(cast):
    request = _file(cast, MONDAY_AFTERNOON)

    assert _clocks(request) == [
        (RuleCode.SUPPORT_RESPONSE, "2026-09-22", DeadlineStatus.OPEN),
        (RuleCode.SUPPORT_ENGINEER_RESPONSE, "2026-09-23", DeadlineStatus.OPEN),
        (RuleCode.SUPPORT_WORK_START, "2026-09-28", DeadlineStatus.OPEN),
    ]


def test_each_act_meets_its_own_clock(cast):
    request = _file(cast, MONDAY_MORNING)
    with time_machine.travel(MONDAY_MORNING + dt.timedelta(hours=1), tick=False):
        support_request_accept(support_request=request, user=cast.engineer, meta=META, note="已联系")
        support_request_briefing_record(
            support_request=request,
            user=cast.engineer,
            meta=META,
            customer_situation="a",
            preparation="b",
            cautions="c",
        )
        texts = {s["key"]: "已写" for s in planning_sections_initial(PlanningDocumentKind.IMPLEMENTATION_PLAN)}
        planning_document_save(
            support_request=request,
            user=cast.engineer,
            meta=META,
            kind=PlanningDocumentKind.IMPLEMENTATION_PLAN,
            texts=texts,
        )

    assert [status for _rule, _due, status in _clocks(request)] == ["met", "met", "open"]

    with time_machine.travel(MONDAY_MORNING + dt.timedelta(hours=2), tick=False):
        support_request_work_start(support_request=request, user=cast.engineer, meta=META)

    assert [status for _rule, _due, status in _clocks(request)] == ["met", "met", "met"]


def test_missed_step_is_escalated_once(cast):
    request = _file(cast, MONDAY_MORNING)
    support_request_accept(support_request=request, user=cast.engineer, meta=META, note="已联系")
    after_due = dt.datetime(2026, 9, 23, 0, 1, tzinfo=TZ)  # engineer's response was due by 09-22

    with time_machine.travel(after_due, tick=False):
        first = deadline_sweep(now=after_due)
        second = deadline_sweep(now=after_due)

    assert (first.applied, second.applied) == (1, 0)
    assert list(request.events.filter(kind=EventKind.STEP_OVERDUE).values_list("comment", flat=True)) == [
        "技术支持：工程师响应 · 2026-09-22"
    ]
    overdue = Notification.objects.filter(verb="support.step_overdue").order_by("recipient_id")
    assert sorted(n.recipient_id for n in overdue) == sorted(
        [cast.technical_director.pk, cast.sales.pk, cast.engineer.pk]
    )


def test_proposal_tier_starts_its_clock_from_the_request_time(cast):
    project = ProjectFactory(customer=cast.customer)
    request = _file(cast, MONDAY_AFTERNOON, project=project)
    support_request_accept(support_request=request, user=cast.engineer, meta=META, note="已联系")

    deadline = support_request_proposal_agree(support_request=request, user=cast.engineer, meta=META, tier=3)

    request.refresh_from_db()
    assert (deadline.rule, deadline.due_date) == (RuleCode.SUPPORT_PROPOSAL, dt.date(2026, 9, 28))
    assert request.proposal_tier == 3
    assert Notification.objects.filter(verb="support.proposal_agreed", recipient=cast.sales).count() == 1


def test_another_tier_replaces_the_first(cast):
    request = flows.accepted(cast, project=ProjectFactory(customer=cast.customer))
    support_request_proposal_agree(support_request=request, user=cast.engineer, meta=META, tier=1)

    support_request_proposal_agree(support_request=request, user=cast.technical_director, meta=META, tier=5)

    proposal = [c for c in _clocks(request) if c[0] == RuleCode.SUPPORT_PROPOSAL]
    assert [status for _rule, _due, status in proposal] == ["cancelled", "open"]


def test_complete_proposal_meets_its_clock(cast):
    request = flows.accepted(cast, project=ProjectFactory(customer=cast.customer))
    support_request_proposal_agree(support_request=request, user=cast.engineer, meta=META, tier=2)
    texts = {s["key"]: "已写" for s in planning_sections_initial(PlanningDocumentKind.PROPOSAL)}

    planning_document_save(
        support_request=request, user=cast.engineer, meta=META, kind=PlanningDocumentKind.PROPOSAL, texts=texts
    )

    assert [c[2] for c in _clocks(request) if c[0] == RuleCode.SUPPORT_PROPOSAL] == ["met"]


def test_sales_cannot_agree_the_proposal_tier(cast):
    request = flows.accepted(cast, project=ProjectFactory(customer=cast.customer))

    with pytest.raises(PermissionDenied):
        support_request_proposal_agree(support_request=request, user=cast.sales, meta=META, tier=2)

    request.refresh_from_db()
    assert request.proposal_tier is None
    assert [c for c in _clocks(request) if c[0] == RuleCode.SUPPORT_PROPOSAL] == []


@pytest.mark.parametrize(("tier", "message"), [(0, "请选择一个商定的档位。"), (6, "请选择一个商定的档位。")])
def test_unknown_tier_is_refused(cast, tier, message):
    request = flows.accepted(cast, project=ProjectFactory(customer=cast.customer))

    with pytest.raises(ValidationError) as refused:
        support_request_proposal_agree(support_request=request, user=cast.engineer, meta=META, tier=tier)

    assert refused.value.message_dict == {"tier": [message]}
    request.refresh_from_db()
    assert request.proposal_tier is None


def test_non_project_support_has_no_proposal_tier(cast):
    request = flows.accepted(cast)

    with pytest.raises(ValidationError) as refused:
        support_request_proposal_agree(support_request=request, user=cast.engineer, meta=META, tier=2)

    assert refused.value.messages == ["只有项目支持才有方案。"]
