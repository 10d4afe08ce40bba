"""§6 completion: the engineer confirms, sales confirms within one working day or the sweep
records completion by silence — exactly once — and the technical director closes."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from deadlines.calendar import TZ
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.models import Deadline
from deadlines.services import deadline_sweep
from notifications.models import Notification
from support.enums import EventKind, RequestState
from support.models import Escalation, SupportRequest
from support.services import (
    support_request_close,
    support_request_complete,
    support_request_dispute,
    support_request_sales_confirm,
)

from . import flows
from .conftest import META

pytestmark = pytest.mark.django_db

# Completed on Wednesday 2026-09-30 (the last working day before National Day): sales has until
# the end of the next working day, Thursday 2026-10-08.
COMPLETED_AT = dt.datetime(2026, 9, 30, 15, 0, tzinfo=TZ)
AFTER_DUE = dt.datetime(2026, 10, 9, 0, 5, tzinfo=TZ)


def _confirmation_deadlines(request: SupportRequest):
    return Deadline.objects.filter(
        target_type=ContentType.objects.get_for_model(SupportRequest),
        target_id=request.pk,
        rule=RuleCode.SALES_CONFIRMATION,
    )


@pytest.fixture
def completed(cast) -> SupportRequest:
    with time_machine.travel(COMPLETED_AT, tick=False):
        return flows.completed(cast)


def test_completion_opens_a_one_working_day_confirmation_clock(completed, cast):
    deadline = _confirmation_deadlines(completed).get()

    assert completed.state == RequestState.COMPLETED
    assert deadline.due_date == dt.date(2026, 10, 8)
    assert deadline.working_days == 1
    assert list(deadline.recipients.all()) == [cast.sales]
    assert Notification.objects.filter(verb="support.completed", recipient=cast.sales).count() == 1


def test_silence_records_completion_exactly_once(completed, cast):
    with time_machine.travel(AFTER_DUE, tick=False):
        first = deadline_sweep(now=AFTER_DUE)
        second = deadline_sweep(now=AFTER_DUE)

    completed.refresh_from_db()
    assert (first.applied, second.applied) == (1, 0)
    assert completed.state == RequestState.CONFIRMED
    assert completed.confirmed_by_silence is True
    assert completed.confirmed_by is None
    assert completed.confirmed_at == AFTER_DUE
    assert _confirmation_deadlines(completed).get().status == DeadlineStatus.EXPIRED
    assert completed.events.filter(kind=EventKind.CONFIRMED_BY_SILENCE).count() == 1
    assert Notification.objects.filter(verb="support.confirmed_by_silence").count() == 3


def test_silence_is_not_recorded_before_the_end_of_the_next_working_day(completed):
    result = deadline_sweep(now=dt.datetime(2026, 10, 8, 23, 59, tzinfo=TZ))

    completed.refresh_from_db()
    assert result.applied == 0
    assert completed.state == RequestState.COMPLETED


def test_silence_effect_changes_nothing_when_sales_already_confirmed(completed, cast):
    deadline = _confirmation_deadlines(completed).get()
    support_request_sales_confirm(support_request=completed, user=cast.sales, meta=META)
    from support.services import support_request_confirmed_by_silence

    support_request_confirmed_by_silence(deadline)

    completed.refresh_from_db()
    assert completed.confirmed_by_silence is False
    assert completed.confirmed_by == cast.sales
    assert completed.events.filter(kind=EventKind.CONFIRMED_BY_SILENCE).count() == 0


def test_sales_confirmation_in_time_meets_the_clock(completed, cast):
    with time_machine.travel(dt.datetime(2026, 10, 8, 10, 0, tzinfo=TZ), tick=False):
        support_request_sales_confirm(support_request=completed, user=cast.sales, meta=META)

    completed.refresh_from_db()
    assert completed.state == RequestState.CONFIRMED
    assert completed.confirmed_by_silence is False
    assert _confirmation_deadlines(completed).get().status == DeadlineStatus.MET
    assert deadline_sweep(now=AFTER_DUE).applied == 0


def test_sales_reply_after_silence_is_refused(completed, cast):
    deadline_sweep(now=AFTER_DUE)

    with pytest.raises(ValidationError) as refused:
        support_request_sales_confirm(support_request=completed, user=cast.sales, meta=META)

    completed.refresh_from_db()
    assert refused.value.messages == ["答复已晚：此工作已因未答复而视为完成。"]
    assert completed.confirmed_by_silence is True


def test_only_the_requests_sales_confirms(completed, cast):
    with pytest.raises(PermissionDenied):
        support_request_sales_confirm(support_request=completed, user=cast.sales_lead, meta=META)

    completed.refresh_from_db()
    assert completed.state == RequestState.COMPLETED
    assert _confirmation_deadlines(completed).get().status == DeadlineStatus.OPEN


def test_dispute_reopens_the_work_cancels_the_clock_and_escalates(completed, cast):
    escalation = support_request_dispute(
        support_request=completed, user=cast.sales, meta=META, subject="客户说还有问题", description="网关仍有告警"
    )

    completed.refresh_from_db()
    assert completed.state == RequestState.IN_PROGRESS
    assert completed.completed_at is None
    assert escalation.path == "sales"
    assert _confirmation_deadlines(completed).get().status == DeadlineStatus.CANCELLED
    recipients = Notification.objects.filter(verb="support.disputed").values_list("recipient__username", flat=True)
    assert sorted(recipients) == sorted(
        [
            cast.engineer.username,
            cast.technical_director.username,
            cast.local_sales_director.username,
            cast.company_sales_director.username,
        ]
    )
    assert deadline_sweep(now=AFTER_DUE).applied == 0


def test_completing_again_after_a_dispute_opens_a_new_clock(completed, cast):
    support_request_dispute(
        support_request=completed, user=cast.sales, meta=META, subject="未完成", description="仍有告警"
    )

    support_request_complete(support_request=completed, user=cast.engineer, meta=META)

    statuses = list(_confirmation_deadlines(completed).order_by("id").values_list("status", flat=True))
    assert statuses == [DeadlineStatus.CANCELLED, DeadlineStatus.OPEN]


def test_completion_needs_the_outcome_and_the_signed_form(cast):
    request = flows.in_progress(cast)

    with pytest.raises(ValidationError) as refused:
        support_request_complete(support_request=request, user=cast.engineer, meta=META)

    request.refresh_from_db()
    assert refused.value.messages == ["请记录工作结果。", "请让客户签署技术支持服务单（在线或纸质）。"]
    assert request.state == RequestState.IN_PROGRESS
    assert _confirmation_deadlines(request).count() == 0


def test_technical_director_closes_against_the_signed_form(cast):
    request = flows.confirmed(cast)

    support_request_close(
        support_request=request, user=cast.technical_director, meta=META, form_checked=True, note="已核对"
    )

    request.refresh_from_db()
    assert request.state == RequestState.CLOSED
    assert request.closed_by == cast.technical_director
    assert request.close_note == "已核对"


def test_closing_needs_the_checked_form_and_changes_nothing_without(cast):
    request = flows.confirmed(cast)

    with pytest.raises(ValidationError) as refused:
        support_request_close(support_request=request, user=cast.technical_director, meta=META, form_checked=False)

    request.refresh_from_db()
    assert refused.value.message_dict == {"form_checked": ["请确认您已核对签署的服务单。"]}
    assert request.state == RequestState.CONFIRMED


def test_only_the_technical_director_closes(cast):
    request = flows.confirmed(cast)

    with pytest.raises(PermissionDenied):
        support_request_close(support_request=request, user=cast.engineer, meta=META, form_checked=True)

    request.refresh_from_db()
    assert request.state == RequestState.CONFIRMED


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_racing_record_silence_once(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    with time_machine.travel(COMPLETED_AT, tick=False):
        request = flows.completed(cast)
    results = []

    def sweep() -> None:
        try:
            results.append(deadline_sweep(now=AFTER_DUE).applied)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    request.refresh_from_db()
    assert sorted(results) == [0, 1]
    assert request.confirmed_by_silence is True
    assert request.events.filter(kind=EventKind.CONFIRMED_BY_SILENCE).count() == 1
    assert Escalation.objects.count() == 0
