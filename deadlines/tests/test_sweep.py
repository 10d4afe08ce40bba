"""The sweep applies each effect and sends each reminder exactly once (SPEC §5)."""

from __future__ import annotations

import dataclasses
import io
import threading
from collections import Counter
from datetime import datetime, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, connections

from accounts.tests.factories import UserFactory
from deadlines.calendar import TZ
from deadlines.enums import DeadlineStatus, RuleCode
from deadlines.hooks import get_rule, register_rule, unregister_rule
from deadlines.models import Deadline
from deadlines.services import deadline_open, deadline_sweep
from deadlines.tasks import deadline_sweep_task
from deadlines.tests.factories import WORKED_DUE, WORKED_REMIND, WORKED_START, DeadlineFactory
from delivery.beat import beat_schedule
from notifications.models import Notification

pytestmark = pytest.mark.django_db

AFTER_DUE = WORKED_DUE + timedelta(minutes=3)


def effect_counts() -> Counter:
    """How many times the recording effect ran (and committed) for each deadline."""
    deadline_type = ContentType.objects.get_for_model(Deadline)
    return Counter(
        Notification.objects.filter(verb="system.message", target_type=deadline_type).values_list(
            "target_id", flat=True
        )
    )


def test_sweep_applies_due_deadline_once(change_reply_rule, recorder):
    due = DeadlineFactory()
    not_yet = DeadlineFactory(due_at=AFTER_DUE + timedelta(days=1))

    first = deadline_sweep(now=AFTER_DUE)
    second = deadline_sweep(now=AFTER_DUE)

    due.refresh_from_db()
    not_yet.refresh_from_db()
    assert (first.applied, second.applied) == (1, 0)
    assert due.status == DeadlineStatus.EXPIRED
    assert due.applied_at is not None
    assert not_yet.status == DeadlineStatus.OPEN
    assert recorder.calls == [due.pk]
    assert effect_counts() == {due.pk: 1}


def test_sweep_ignores_deadline_exactly_before_due(change_reply_rule, recorder):
    DeadlineFactory()

    result = deadline_sweep(now=WORKED_DUE - timedelta(microseconds=1))

    assert result.applied == 0
    assert recorder.calls == []


def test_sweep_processes_in_due_order_across_batches(change_reply_rule, recorder):
    deadlines = [DeadlineFactory(due_at=WORKED_DUE - timedelta(hours=hours)) for hours in (1, 5, 3, 2, 4)]

    result = deadline_sweep(now=AFTER_DUE, batch_size=2)

    assert result.applied == 5
    assert recorder.calls == [d.pk for d in sorted(deadlines, key=lambda d: d.due_at)]


def test_effect_failing_half_way_rolls_back_its_claim_and_is_retried(change_reply_rule, recorder):
    deadlines = [DeadlineFactory() for _ in range(5)]
    broken = deadlines[2]
    recorder.fail_on = {broken.pk}

    first = deadline_sweep(now=AFTER_DUE, batch_size=2)
    broken.refresh_from_db()
    assert (first.applied, first.failed, first.failed_ids) == (4, 1, [broken.pk])
    assert broken.status == DeadlineStatus.OPEN
    assert broken.applied_at is None
    assert effect_counts() == {d.pk: 1 for d in deadlines if d != broken}

    recorder.fail_on = set()
    second = deadline_sweep(now=AFTER_DUE, batch_size=2)

    broken.refresh_from_db()
    assert (second.applied, second.failed) == (1, 0)
    assert broken.status == DeadlineStatus.EXPIRED
    assert effect_counts() == {d.pk: 1 for d in deadlines}


def test_sweep_killed_mid_batch_then_rerun_applies_each_effect_once(change_reply_rule, recorder):
    deadlines = [DeadlineFactory(due_at=WORKED_DUE - timedelta(minutes=i)) for i in range(6, 0, -1)]
    recorder.kill_on = {deadlines[3].pk}  # second item of the second batch

    with pytest.raises(KeyboardInterrupt):
        deadline_sweep(now=AFTER_DUE, batch_size=2)

    # The first batch committed; the interrupted batch rolled back, claim and effect together.
    statuses = dict(Deadline.objects.values_list("pk", "status"))
    assert [statuses[d.pk] for d in deadlines] == ["expired", "expired", "open", "open", "open", "open"]
    assert effect_counts() == {deadlines[0].pk: 1, deadlines[1].pk: 1}

    recorder.kill_on = set()
    rerun = deadline_sweep(now=AFTER_DUE, batch_size=2)

    assert rerun.applied == 4
    assert effect_counts() == {d.pk: 1 for d in deadlines}


@pytest.fixture
def golive_objection_unregistered():
    """An owning app may not be installed: its rule's deadlines must wait, not break the sweep."""
    rule = get_rule(RuleCode.GOLIVE_OBJECTION)
    unregister_rule(RuleCode.GOLIVE_OBJECTION)
    yield
    if rule is not None:
        register_rule(**{each.name: getattr(rule, each.name) for each in dataclasses.fields(rule)})


def test_unregistered_rule_stays_open_and_is_logged(change_reply_rule, recorder, caplog, golive_objection_unregistered):
    orphan = DeadlineFactory(rule=RuleCode.GOLIVE_OBJECTION)
    registered = DeadlineFactory()

    result = deadline_sweep(now=AFTER_DUE)

    orphan.refresh_from_db()
    assert (result.applied, result.unregistered) == (1, 1)
    assert orphan.status == DeadlineStatus.OPEN
    assert recorder.calls == [registered.pk]
    assert "1 open deadline(s) of rule 'golive_objection' are due but no effect is registered" in caplog.text


def test_reminder_one_working_day_before_due_sent_once(change_reply_rule):
    pm, manager = UserFactory(), UserFactory()
    deadline = deadline_open(
        target=pm, rule=RuleCode.CHANGE_REPLY, started_at=WORKED_START, working_days=5, recipients=[pm, manager]
    )

    before = deadline_sweep(now=WORKED_REMIND - timedelta(minutes=1))
    first = deadline_sweep(now=WORKED_REMIND + timedelta(hours=9))
    second = deadline_sweep(now=WORKED_REMIND + timedelta(hours=10))

    deadline.refresh_from_db()
    assert (before.reminded, first.reminded, second.reminded) == (0, 1, 0)
    assert deadline.reminder_sent_at is not None
    reminders = Notification.objects.filter(verb="deadlines.reminder").order_by("recipient_id")
    assert [n.recipient for n in reminders] == [pm, manager]
    assert reminders[0].context == {
        "rule": {"zh-hans": "答复变更说明函", "en": "Reply to change letter"},
        "target": {"zh-hans": str(pm), "en": str(pm)},
        "due": "2026-10-10",
    }


def test_reminder_recipients_come_from_the_rule(change_reply_rule, recorder):
    director = UserFactory()
    register_rule(RuleCode.CHANGE_REPLY, effect=recorder, reminder_recipients=lambda deadline: [director])
    DeadlineFactory()

    deadline_sweep(now=WORKED_REMIND)

    assert list(Notification.objects.filter(verb="deadlines.reminder").values_list("recipient", flat=True)) == [
        director.pk
    ]


def test_expired_deadline_gets_no_reminder(change_reply_rule):
    DeadlineFactory()

    result = deadline_sweep(now=AFTER_DUE)

    assert (result.applied, result.reminded) == (1, 0)


def test_sweep_command_and_task(change_reply_rule, recorder):
    DeadlineFactory(due_at=datetime(2020, 1, 1, tzinfo=TZ), remind_at=None)
    out = io.StringIO()

    call_command("deadline_sweep", stdout=out)

    assert out.getvalue() == "applied 1, reminded 0, failed 0, unregistered 0\n"
    assert deadline_sweep_task.delay().get() == {"applied": 0, "reminded": 0, "failed": 0, "unregistered": 0}


def test_beat_runs_the_sweep_every_five_minutes():
    assert beat_schedule()["deadline-sweep"] == {"task": "deadlines.sweep", "schedule": 300.0}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="Concurrent sweeps need real row locks (SELECT … FOR UPDATE SKIP LOCKED): run with DATABASE_URL=postgresql://…",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_sweeps_apply_each_effect_and_reminder_once(change_reply_rule, recorder):
    due = [DeadlineFactory(due_at=WORKED_DUE - timedelta(seconds=i)) for i in range(120)]
    reminding = [DeadlineFactory(due_at=AFTER_DUE + timedelta(days=1), remind_at=WORKED_REMIND) for _ in range(60)]
    for deadline in reminding:
        deadline.recipients.add(recorder.witness)
    start = threading.Barrier(2)
    results, errors = [], []

    def sweep() -> None:
        try:
            start.wait()
            results.append(deadline_sweep(now=AFTER_DUE, batch_size=10))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(results) == 2
    assert min(r.applied for r in results) > 0  # both sweeps really ran side by side
    assert sum(r.applied for r in results) == len(due)
    assert sum(r.reminded for r in results) == len(reminding)
    assert effect_counts() == {d.pk: 1 for d in due}
    assert Counter(recorder.calls) == {d.pk: 1 for d in due}
    reminded = Counter(Notification.objects.filter(verb="deadlines.reminder").values_list("target_id", flat=True))
    assert (sum(reminded.values()), max(reminded.values())) == (len(reminding), 1)
    assert Deadline.objects.filter(pk__in=[d.pk for d in reminding], reminder_sent_at__isnull=True).count() == 0
