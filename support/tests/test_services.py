"""Each step of the procedure: the happy path, the states it is refused in, who may not do it
(nothing changes), and the work it leaves for after the commit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.tests.factories import OrganizationFactory
from deadlines.calendar import TZ
from deadlines.enums import DeadlineStatus
from deadlines.selectors import deadline_list_for_target
from delivery.tests.outbox import effect_kinds, effects_recorded
from notifications.models import Notification
from projects.tests.factories import ProjectFactory
from support.enums import EventKind, RequestState
from support.models import SupportRequest
from support.services import (
    deviation_report,
    escalation_raise,
    escalation_resolve,
    internal_note_add,
    planning_document_save,
    support_request_accept,
    support_request_briefing_record,
    support_request_cancel,
    support_request_complete,
    support_request_emergency_start,
    support_request_file,
    support_request_file_formal,
    support_request_outcome_record,
    support_request_work_start,
)

from . import flows
from .conftest import META

pytestmark = pytest.mark.django_db


def _state(request: SupportRequest) -> str:
    return SupportRequest.objects.values_list("state", flat=True).get(pk=request.pk)


# --- filing -------------------------------------------------------------------------------------
def test_filing_notifies_the_roles_of_the_procedure(cast, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        request = flows.filed(cast)

    recipients = Notification.objects.filter(verb="support.filed").values_list("recipient__username", flat=True)
    assert request.state == RequestState.FILED
    assert sorted(recipients) == sorted(
        p.username
        for p in (
            cast.technical_director,
            cast.sales_lead,
            cast.local_sales_director,
            cast.company_sales_director,
            cast.administration,
        )
    )
    assert effect_kinds() == ["mail.notification"] * 5  # one e-mail each, after commit
    assert list(request.events.values_list("kind", "ip_address", "user_agent")) == [
        (EventKind.FILED, "10.0.0.8", "pytest")
    ]


def test_only_sales_files(cast):
    with pytest.raises(PermissionDenied):
        support_request_file(user=cast.engineer, meta=META, customer=cast.customer, mode="remote", description="x")

    assert SupportRequest.objects.count() == 0


def test_filing_refuses_a_project_of_another_customer(cast):
    project = ProjectFactory(customer=OrganizationFactory())

    with pytest.raises(ValidationError) as refused:
        support_request_file(
            user=cast.sales, meta=META, customer=cast.customer, project=project, mode="remote", description="x"
        )

    assert list(refused.value.message_dict) == ["project"]
    assert SupportRequest.objects.count() == 0


def test_filing_refuses_a_contact_of_another_customer(cast):
    from accounts.tests.factories import CustomerUserFactory

    stranger = CustomerUserFactory(profile__organization=OrganizationFactory())

    with pytest.raises(ValidationError) as refused:
        support_request_file(
            user=cast.sales,
            meta=META,
            customer=cast.customer,
            customer_contact=stranger,
            mode="remote",
            description="x",
        )

    assert list(refused.value.message_dict) == ["customer_contact"]


# --- emergency ----------------------------------------------------------------------------------
def _emergency(cast) -> SupportRequest:
    return support_request_emergency_start(
        user=cast.technical_director,
        meta=META,
        customer=cast.customer,
        sales=cast.sales,
        engineer=cast.engineer,
        mode="on_site",
        description="全公司邮件中断",
        reason="客户生产受影响",
    )


def test_emergency_starts_work_without_a_response_clock(cast):
    request = _emergency(cast)

    assert request.state == RequestState.EMERGENCY
    assert (request.engineer, request.emergency_approved_by) == (cast.engineer, cast.technical_director)
    assert list(deadline_list_for_target(target=request)) == []
    assert Notification.objects.filter(verb="support.emergency_started", recipient=cast.sales).count() == 1


def test_only_the_technical_director_approves_emergency_work(cast):
    with pytest.raises(PermissionDenied):
        support_request_emergency_start(
            user=cast.sales,
            meta=META,
            customer=cast.customer,
            sales=cast.sales,
            engineer=cast.engineer,
            mode="on_site",
            description="x",
            reason="y",
        )

    assert SupportRequest.objects.count() == 0


def test_emergency_needs_a_sales_person_and_an_engineer(cast):
    with pytest.raises(ValidationError) as refused:
        support_request_emergency_start(
            user=cast.technical_director,
            meta=META,
            customer=cast.customer,
            sales=cast.engineer,
            engineer=cast.sales,
            mode="on_site",
            description="x",
            reason="y",
        )

    assert sorted(refused.value.message_dict) == ["engineer", "sales"]


def test_formal_filing_after_emergency_continues_the_work(cast):
    request = _emergency(cast)

    support_request_file_formal(
        support_request=request, user=cast.sales, meta=META, mode="on_site", description="全公司邮件中断"
    )

    request.refresh_from_db()
    assert request.state == RequestState.IN_PROGRESS
    assert request.title.startswith("技术支持申请--江南制造--非项目--李销售--")


def test_formal_filing_is_for_the_named_sales_person_only(cast):
    request = _emergency(cast)
    from .factories import person_with_role

    with pytest.raises(PermissionDenied):
        support_request_file_formal(
            support_request=request, user=person_with_role("sales"), meta=META, mode="on_site", description="x"
        )

    assert _state(request) == RequestState.EMERGENCY


def test_formal_filing_twice_is_refused(cast):
    request = _emergency(cast)
    support_request_file_formal(support_request=request, user=cast.sales, meta=META, mode="on_site", description="x")

    request.refresh_from_db()
    filed = (request.state, request.mode, request.description, request.events.count())

    with pytest.raises(ValidationError) as refused:
        support_request_file_formal(support_request=request, user=cast.sales, meta=META, mode="remote", description="y")

    assert refused.value.messages == ["此申请已提交。"]
    request.refresh_from_db()
    assert (request.state, request.mode, request.description, request.events.count()) == filed


def test_emergency_reminders_go_once_per_working_day_until_filed(cast):
    from support.services import support_reminders_send

    with time_machine.travel(dt.datetime(2026, 9, 29, 20, 0, tzinfo=TZ), tick=False):
        request = _emergency(cast)

    def remind(moment):
        with time_machine.travel(moment, tick=False):
            return support_reminders_send(now=moment)["emergency_reminders"]

    sent = [
        remind(dt.datetime(2026, 9, 29, 21, 0, tzinfo=TZ)),  # the day it started: told already
        remind(dt.datetime(2026, 9, 30, 8, 0, tzinfo=TZ)),  # before office hours
        remind(dt.datetime(2026, 9, 30, 9, 0, tzinfo=TZ)),
        remind(dt.datetime(2026, 9, 30, 15, 0, tzinfo=TZ)),  # once a day
        remind(dt.datetime(2026, 10, 2, 10, 0, tzinfo=TZ)),  # National Day: no reminder
        remind(dt.datetime(2026, 10, 8, 9, 5, tzinfo=TZ)),
    ]
    support_request_file_formal(support_request=request, user=cast.sales, meta=META, mode="on_site", description="x")
    sent.append(remind(dt.datetime(2026, 10, 9, 9, 5, tzinfo=TZ)))

    assert sent == [0, 0, 1, 0, 0, 1, 0]
    assert Notification.objects.filter(verb="support.emergency_reminder", recipient=cast.sales).count() == 2


# --- response and planning ----------------------------------------------------------------------
def test_accept_is_refused_once_accepted(cast):
    request = flows.accepted(cast)

    request.refresh_from_db()
    accepted = (request.state, request.engineer_id, request.accepted_at, request.events.count())

    with pytest.raises(ValidationError) as refused:
        support_request_accept(support_request=request, user=cast.engineer, meta=META, note="again")

    assert refused.value.messages == ["此申请已不在等待工程师响应。"]
    request.refresh_from_db()
    assert (request.state, request.engineer_id, request.accepted_at, request.events.count()) == accepted


def test_engineer_cannot_assign_someone_else(cast):
    from .factories import person_with_role

    request = flows.filed(cast)

    with pytest.raises(PermissionDenied):
        support_request_accept(
            support_request=request, user=cast.engineer, meta=META, engineer=person_with_role("engineer")
        )

    assert _state(request) == RequestState.FILED


def test_briefing_is_for_the_assigned_engineer(cast):
    request = flows.accepted(cast)

    with pytest.raises(PermissionDenied):
        support_request_briefing_record(
            support_request=request, user=cast.sales, meta=META, customer_situation="a", preparation="b", cautions="c"
        )

    request.refresh_from_db()
    assert request.briefing_recorded_at is None


def test_planning_document_keeps_the_template_sections(cast):
    request = flows.accepted(cast)

    document = planning_document_save(
        support_request=request,
        user=cast.engineer,
        meta=META,
        kind="implementation_plan",
        texts={"objectives": "恢复收发"},
    )

    assert [s["key"] for s in document.sections] == [
        "objectives",
        "environment",
        "steps",
        "timing",
        "people",
        "rollback",
        "verification",
    ]
    assert document.sections[0]["text"] == "恢复收发"
    assert document.is_complete is False


def test_work_starts_once_the_planning_is_complete(cast):
    request = flows.planned(cast)

    support_request_work_start(support_request=request, user=cast.engineer, meta=META)

    assert _state(request) == RequestState.IN_PROGRESS


def test_work_cannot_start_twice(cast):
    request = flows.in_progress(cast)

    events = request.events.count()

    with pytest.raises(ValidationError) as refused:
        support_request_work_start(support_request=request, user=cast.engineer, meta=META)

    assert refused.value.messages == ["只有已受理的申请才能开始工作。"]
    assert (_state(request), request.events.count()) == (RequestState.IN_PROGRESS, events)


def test_only_the_assigned_engineer_starts_work(cast):
    request = flows.planned(cast)

    with pytest.raises(PermissionDenied):
        support_request_work_start(support_request=request, user=cast.technical_director, meta=META)

    assert _state(request) == RequestState.ACCEPTED


# --- during work ---------------------------------------------------------------------------------
def test_deviation_goes_to_sales_and_the_technical_director(cast, django_capture_on_commit_callbacks):
    request = flows.in_progress(cast)

    with django_capture_on_commit_callbacks(), effects_recorded() as recorded:
        deviation_report(
            support_request=request, user=cast.engineer, meta=META, kind="products", description="客户想加购"
        )

    recipients = Notification.objects.filter(verb="support.deviation").values_list("recipient__username", flat=True)
    assert sorted(recipients) == sorted([cast.sales.username, cast.technical_director.username])
    assert Notification.objects.filter(verb="support.deviation").first().context["kind"] == "销售的产品"
    assert recorded == ["mail.notification"] * 2


def test_deviation_before_acceptance_is_refused(cast):
    request = flows.filed(cast)

    with pytest.raises(PermissionDenied):
        deviation_report(support_request=request, user=cast.engineer, meta=META, kind="effort", description="x")


def test_outcome_is_frozen_once_the_form_is_signed(cast):
    request = flows.form_signed_on_paper(cast)

    with pytest.raises(ValidationError) as refused:
        support_request_outcome_record(support_request=request, user=cast.engineer, meta=META, outcome="改写")

    assert refused.value.messages == ["服务单已签署，其中写明的工作结果不能再修改。"]

    request.refresh_from_db()
    assert request.outcome == "网关恢复正常，队列清空"


def test_customer_cannot_write_internal_notes(cast):
    request = flows.filed(cast)

    with pytest.raises(PermissionDenied):
        internal_note_add(support_request=request, user=cast.contact, text="x")

    assert request.internal_notes.count() == 0


def test_completion_confirmation_overdue_is_told_once(cast):
    from support.services import support_reminders_send

    with time_machine.travel(dt.datetime(2026, 9, 30, 16, 0, tzinfo=TZ), tick=False):
        request = flows.form_signed_on_paper(cast)
    request.refresh_from_db()
    assert request.completion_due_at == dt.datetime(2026, 10, 9, 0, 0, tzinfo=TZ)

    early = support_reminders_send(now=dt.datetime(2026, 10, 8, 23, 0, tzinfo=TZ))
    late = support_reminders_send(now=dt.datetime(2026, 10, 9, 0, 1, tzinfo=TZ))
    again = support_reminders_send(now=dt.datetime(2026, 10, 9, 1, 0, tzinfo=TZ))

    assert [early["completion_overdue"], late["completion_overdue"], again["completion_overdue"]] == [0, 1, 0]
    assert request.events.filter(kind=EventKind.COMPLETION_OVERDUE).count() == 1


# --- cancelling and escalations -----------------------------------------------------------------
def test_cancelling_a_filed_request_cancels_its_clocks(cast):
    request = flows.filed(cast)

    support_request_cancel(support_request=request, user=cast.sales, meta=META, reason="客户自行解决")

    assert _state(request) == RequestState.CANCELLED
    assert [d.status for d in deadline_list_for_target(target=request)] == [DeadlineStatus.CANCELLED] * 3


def test_sales_cannot_cancel_once_an_engineer_is_on_it(cast):
    request = flows.accepted(cast)

    with pytest.raises(PermissionDenied):
        support_request_cancel(support_request=request, user=cast.sales, meta=META, reason="不需要了")

    assert _state(request) == RequestState.ACCEPTED


def test_completed_request_cannot_be_cancelled(cast):
    request = flows.completed(cast)

    events = request.events.count()

    with pytest.raises(ValidationError) as refused:
        support_request_cancel(support_request=request, user=cast.technical_director, meta=META, reason="x")

    assert refused.value.messages == ["此申请已不能取消。"]
    assert (_state(request), request.events.count()) == (RequestState.COMPLETED, events)


def test_engineer_escalates_to_the_technical_director(cast):
    request = flows.in_progress(cast)

    escalation = escalation_raise(
        support_request=request, user=cast.engineer, meta=META, subject="工时争议", description="x"
    )

    assert escalation.path == "engineer"
    assert list(Notification.objects.filter(verb="support.escalated").values_list("recipient", flat=True)) == [
        cast.technical_director.pk
    ]


def test_sales_escalates_to_the_sales_directors(cast):
    request = flows.in_progress(cast)

    escalation = escalation_raise(
        support_request=request, user=cast.sales, meta=META, subject="范围争议", description="x"
    )

    recipients = Notification.objects.filter(verb="support.escalated").values_list("recipient", flat=True)
    assert escalation.path == "sales"
    assert sorted(recipients) == sorted([cast.local_sales_director.pk, cast.company_sales_director.pk])


def test_only_the_path_owner_resolves_an_escalation(cast):
    request = flows.in_progress(cast)
    escalation = escalation_raise(
        support_request=request, user=cast.sales, meta=META, subject="范围争议", description="x"
    )

    with pytest.raises(PermissionDenied):
        escalation_resolve(escalation=escalation, user=cast.technical_director, meta=META, resolution="y")

    escalation_resolve(escalation=escalation, user=cast.local_sales_director, meta=META, resolution="按合同执行")
    escalation.refresh_from_db()
    assert (escalation.state, escalation.resolved_by) == ("resolved", cast.local_sales_director)


def test_outsiders_cannot_escalate(cast):
    request = flows.in_progress(cast)

    with pytest.raises(PermissionDenied):
        escalation_raise(support_request=request, user=cast.administration, meta=META, subject="x", description="y")


def test_completion_by_another_engineer_is_refused(cast):
    from .factories import person_with_role

    request = flows.form_signed_on_paper(cast)

    with pytest.raises(PermissionDenied):
        support_request_complete(support_request=request, user=person_with_role("engineer"), meta=META)

    assert _state(request) == RequestState.IN_PROGRESS


def test_reminders_are_scheduled_with_the_beat():
    from delivery.beat import beat_schedule

    assert beat_schedule()["support-reminders"] == {"task": "support.reminders", "schedule": 900.0}
