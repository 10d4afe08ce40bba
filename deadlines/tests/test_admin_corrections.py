"""The deadline admin: search by project code and rule, extend or correct with a recorded reason."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.tests.factories import AdminUserFactory
from changes.tests.factories import change_filed
from deadlines.corrections import deadline_correct
from deadlines.enums import RuleCode
from deadlines.models import Deadline
from notifications.models import Notification
from projects.tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reply_clock():
    change = change_filed(ProjectFactory(code="HX-2026-777"), kind="4.3")
    return Deadline.objects.get(rule=RuleCode.CHANGE_REPLY, target_id=change.pk)


def test_admin_finds_deadlines_by_project_code_and_rule(admin_client, reply_clock):
    change_filed(ProjectFactory(code="HX-2026-888"), kind="4.3")
    url = reverse("admin:deadlines_deadline_changelist")

    by_code = admin_client.get(url, {"q": "HX-2026-777"})
    by_rule = admin_client.get(url, {"q": "change_reply"})

    assert [d.pk for d in by_code.context["cl"].result_list] == [reply_clock.pk]
    assert by_rule.context["cl"].result_count == 2


def test_admin_extends_a_deadline_with_a_reason_both_sides_told(admin_client, reply_clock):
    new_day = reply_clock.due_date + dt.timedelta(days=7)
    url = reverse("admin:deadlines_deadline_correct", args=[reply_clock.pk])

    empty = admin_client.post(url, {"due_on": new_day.isoformat(), "reason": ""})
    admin_client.post(url, {"due_on": new_day.isoformat(), "reason": "客户要求延期一周，双方已邮件确认。"})

    reply_clock.refresh_from_db()
    assert empty.status_code == 200 and empty.context["form"].errors == {"reason": ["这个字段是必填项。"]}
    assert reply_clock.due_date == new_day
    assert reply_clock.explanation.endswith(
        f"由 admin 延期或更正至 {new_day.isoformat()}：客户要求延期一周，双方已邮件确认。"
    )
    told = {n.recipient_id for n in Notification.objects.filter(verb="deadlines.moved")}
    assert told == set(reply_clock.recipients.values_list("pk", flat=True)) and told
    page = admin_client.get(reverse("admin:deadlines_deadline_change", args=[reply_clock.pk])).content.decode()
    assert "客户要求延期一周" in page


def test_deadline_correct_by_a_non_admin_is_denied_and_changes_nothing(reply_clock):
    due = reply_clock.due_at
    pm = reply_clock.target.project.vendor_pm

    with pytest.raises(PermissionDenied):
        deadline_correct(deadline=reply_clock, due_on=dt.date(2030, 1, 1), reason="x", by=pm)

    reply_clock.refresh_from_db()
    assert reply_clock.due_at == due


def test_deadline_correct_of_a_closed_deadline_is_refused(reply_clock):
    Deadline.objects.filter(pk=reply_clock.pk).update(status="met")

    with pytest.raises(ValidationError) as refused:
        deadline_correct(deadline=reply_clock, due_on=dt.date(2030, 1, 1), reason="x", by=AdminUserFactory())

    assert refused.value.messages == ["只有进行中的期限才能延期或更正。"]
