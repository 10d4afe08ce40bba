"""§5 support request response: before 12:00 on a working day → the same day; otherwise the next
working day (PRC 2026 calendar: Mid-autumn 09-25..27, National Day 10-01..07, make-up 09-20 and 10-10)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType

from deadlines.calendar import TZ
from deadlines.enums import Clock, CorrectionOutcome, DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.services import calendar_year_load, deadline_sweep
from deadlines.sources import DaySpec
from notifications.models import Notification
from support.enums import EventKind, RequestState
from support.models import SupportRequest
from support.services import support_request_accept, support_request_file

from .conftest import META

pytestmark = pytest.mark.django_db


def _file(cast, moment: dt.datetime) -> SupportRequest:
    with time_machine.travel(moment, tick=False):
        return support_request_file(
            user=cast.sales, meta=META, customer=cast.customer, mode="remote", description="邮件无法收发"
        )


def _response_deadline(request: SupportRequest) -> Deadline:
    return Deadline.objects.get(
        target_type=ContentType.objects.get_for_model(SupportRequest),
        target_id=request.pk,
        rule=RuleCode.SUPPORT_RESPONSE,
    )


@pytest.mark.parametrize(
    ("received", "due"),
    [
        # An ordinary Monday, either side of 12:00 (12:00 itself is no longer "before 12:00").
        (dt.datetime(2026, 9, 21, 11, 59, tzinfo=TZ), dt.date(2026, 9, 21)),
        (dt.datetime(2026, 9, 21, 12, 0, tzinfo=TZ), dt.date(2026, 9, 22)),
        # Fridays: a morning request is answered that Friday, an afternoon one on Monday...
        (dt.datetime(2026, 10, 16, 9, 0, tzinfo=TZ), dt.date(2026, 10, 16)),
        (dt.datetime(2026, 10, 16, 14, 0, tzinfo=TZ), dt.date(2026, 10, 19)),
        # ...unless the Saturday is a make-up working day (调休).
        (dt.datetime(2026, 10, 9, 15, 0, tzinfo=TZ), dt.date(2026, 10, 10)),
        # Before holidays: the afternoon before Mid-autumn, and the last working day before National Day.
        (dt.datetime(2026, 9, 24, 14, 0, tzinfo=TZ), dt.date(2026, 9, 28)),
        (dt.datetime(2026, 9, 30, 11, 0, tzinfo=TZ), dt.date(2026, 9, 30)),
        (dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ), dt.date(2026, 10, 8)),
        # During a holiday, even in the morning: the first working day after it.
        (dt.datetime(2026, 10, 3, 9, 0, tzinfo=TZ), dt.date(2026, 10, 8)),
        # Make-up working days count as working days, either side of 12:00.
        (dt.datetime(2026, 10, 10, 9, 30, tzinfo=TZ), dt.date(2026, 10, 10)),
        (dt.datetime(2026, 10, 10, 13, 0, tzinfo=TZ), dt.date(2026, 10, 12)),
        (dt.datetime(2026, 9, 20, 10, 0, tzinfo=TZ), dt.date(2026, 9, 20)),
        # An ordinary Saturday morning is a rest day; the Saturday before a make-up Sunday too.
        (dt.datetime(2026, 10, 17, 10, 0, tzinfo=TZ), dt.date(2026, 10, 19)),
        (dt.datetime(2026, 9, 19, 10, 0, tzinfo=TZ), dt.date(2026, 9, 20)),
    ],
)
def test_response_due(cast, received, due):
    request = _file(cast, received)

    deadline = _response_deadline(request)
    assert deadline.clock == Clock.SUPPORT_RESPONSE
    assert deadline.started_at == received
    assert deadline.due_date == due
    assert deadline.due_at == dt.datetime.combine(due + dt.timedelta(days=1), dt.time(0), tzinfo=TZ)
    assert deadline.status == DeadlineStatus.OPEN


def test_response_clock_is_shown_on_the_request_page(client, cast):
    request = _file(cast, dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ))
    client.force_login(cast.technical_director)

    with time_machine.travel(dt.datetime(2026, 9, 30, 16, 5, tzinfo=TZ), tick=False):
        page = client.get(request.get_absolute_url()).content.decode()

    assert '<time datetime="2026-10-09T00:00:00+08:00" class="deadline-date">2026-10-08</time>' in page
    assert "支持申请响应" in page


def test_accepting_meets_the_response_clock(cast):
    request = _file(cast, dt.datetime(2026, 9, 21, 9, 0, tzinfo=TZ))

    with time_machine.travel(dt.datetime(2026, 9, 21, 10, 0, tzinfo=TZ), tick=False):
        support_request_accept(support_request=request, user=cast.engineer, meta=META, note="已联系客户")

    request.refresh_from_db()
    deadline = _response_deadline(request)
    assert request.state == RequestState.ACCEPTED
    assert request.engineer == cast.engineer
    assert deadline.status == DeadlineStatus.MET
    # The response was due by the end of 09-21; nothing else is due by then.
    assert deadline_sweep(now=dt.datetime(2026, 9, 22, 0, 0, tzinfo=TZ)).applied == 0


def test_missed_response_escalates_to_the_technical_director_once(cast):
    request = _file(cast, dt.datetime(2026, 9, 21, 9, 0, tzinfo=TZ))
    after_due = dt.datetime(2026, 9, 22, 0, 1, tzinfo=TZ)

    with time_machine.travel(after_due, tick=False):
        first = deadline_sweep(now=after_due)
        second = deadline_sweep(now=after_due)

    request.refresh_from_db()
    assert (first.applied, second.applied) == (1, 0)
    assert _response_deadline(request).status == DeadlineStatus.EXPIRED
    assert request.response_overdue_at == after_due
    assert list(request.events.filter(kind=EventKind.RESPONSE_OVERDUE).values_list("comment", flat=True)) == [
        "2026-09-21"
    ]
    overdue = Notification.objects.filter(verb="support.response_overdue")
    assert sorted(overdue.values_list("recipient__username", flat=True)) == sorted(
        [cast.technical_director.username, cast.sales.username]
    )


def test_late_acceptance_still_works_after_escalation(cast):
    request = _file(cast, dt.datetime(2026, 9, 21, 9, 0, tzinfo=TZ))
    deadline_sweep(now=dt.datetime(2026, 9, 22, 0, 1, tzinfo=TZ))

    support_request_accept(support_request=request, user=cast.engineer, meta=META)

    request.refresh_from_db()
    assert request.state == RequestState.ACCEPTED
    assert _response_deadline(request).status == DeadlineStatus.EXPIRED


def test_early_overdue_flag_on_the_provisional_calendar_is_withdrawn_when_2027_is_published(cast):
    # Thursday 2027-02-04 afternoon: provisionally (除夕 to 初三 off) due 02-09; the schedule below
    # keeps the office closed until 02-11, so the response is really due on 02-12.
    request = _file(cast, dt.datetime(2027, 2, 4, 15, 0, tzinfo=TZ))
    fired = dt.datetime(2027, 2, 10, 0, 30, tzinfo=TZ)
    with time_machine.travel(fired, tick=False):
        assert deadline_sweep(now=fired).applied == 1
    spring = [
        DaySpec(date=dt.date(2027, 2, day), kind="holiday", name_zh="春节", name_en="Spring Festival")
        for day in range(5, 12)
    ]

    with time_machine.travel(dt.datetime(2027, 2, 10, 9, 0, tzinfo=TZ), tick=False):
        calendar_year_load(year=2027, days=spring, source="test-2027")

    request.refresh_from_db()
    deadline = _response_deadline(request)
    assert request.response_overdue_at is None
    assert (deadline.status, deadline.correction, deadline.due_date) == (
        DeadlineStatus.OPEN,
        CorrectionOutcome.WITHDRAWN,
        dt.date(2027, 2, 12),
    )
    assert list(request.events.filter(kind=EventKind.RESPONSE_OVERDUE_WITHDRAWN).values_list("comment", flat=True)) == [
        "2027-02-12"
    ]
