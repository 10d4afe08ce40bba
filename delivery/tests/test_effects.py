"""The outbox: effects recorded with the change, published after commit, reconciled, done once."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from celery import shared_task
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from delivery import effects
from delivery.celery import app
from delivery.effects import (
    effect_claim,
    effect_record,
    effect_retry,
    effect_task,
    effects_counts,
    effects_reconcile,
    oldest_unfinished_age,
)
from delivery.enums import EffectState, Queue
from delivery.models import Effect

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
FAILURES: dict[str, int] = {}


@shared_task(name="delivery.tests.record_call", bind=True, max_retries=2, default_retry_delay=0)
@effect_task
def record_call_task(self, *, value: str) -> str:
    """Test task: fails FAILURES[value] times with a retry, then records the call."""
    if FAILURES.get(value, 0) > 0:
        FAILURES[value] -= 1
        raise self.retry(exc=OSError("SMTP down"))
    CALLS.append(value)
    return value


@shared_task(name="delivery.tests.always_fails")
@effect_task
def always_fails_task(*, value: str) -> None:
    raise ValueError(f"cannot make {value}")


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()
    FAILURES.clear()


def _record(value: str = "a", task: str = "delivery.tests.record_call") -> None:
    effect_record(kind="test.call", key=f"test:{value}", task=task, kwargs={"value": value}, queue=Queue.MAIL)


@pytest.fixture
def broker_down():
    """A broker nobody listens on (port 1 refuses at once), and tasks really sent to it."""
    original = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    yield
    app.conf.broker_url = original
    app.conf.task_always_eager = True


def test_effect_recorded_pending_until_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        _record()

    effect = Effect.objects.get()
    assert (effect.kind, effect.key, effect.task, effect.kwargs, effect.queue, effect.state) == (
        "test.call",
        "test:a",
        "delivery.tests.record_call",
        {"value": "a"},
        "mail",
        EffectState.PENDING,
    )
    assert len(callbacks) == 1
    assert CALLS == []


def test_effect_runs_once_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record()

    effect = Effect.objects.get()
    assert CALLS == ["a"]
    assert (effect.state, effect.attempts, effect.last_error) == (EffectState.DONE, 1, "")
    assert effect.done_at is not None


def test_effect_recorded_twice_is_one_effect(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record()
        _record()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record()

    assert Effect.objects.count() == 1
    assert CALLS == ["a"]


def test_effect_of_a_rolled_back_transaction_is_never_run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            _record()
            raise RuntimeError("the change failed")

    assert Effect.objects.count() == 0
    assert CALLS == []


def test_duplicate_delivery_of_a_done_effect_does_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record()

    record_call_task.apply(kwargs={"value": "a", "effect_key": "test:a"})

    assert CALLS == ["a"]
    assert Effect.objects.get().attempts == 1


def test_delivery_while_another_worker_holds_the_effect_does_nothing():
    _record()
    assert effect_claim(key="test:a") is True

    record_call_task.apply(kwargs={"value": "a", "effect_key": "test:a"})

    assert CALLS == []
    assert Effect.objects.get().state == EffectState.PENDING


def test_claim_of_a_worker_that_died_expires_after_the_lease():
    _record()
    Effect.objects.update(claimed_at=timezone.now() - timedelta(seconds=effects.EFFECT_LEASE_SECONDS + 1))

    record_call_task.apply(kwargs={"value": "a", "effect_key": "test:a"})

    assert CALLS == ["a"]
    assert Effect.objects.get().state == EffectState.DONE


def test_task_without_a_key_runs_plainly():
    assert record_call_task.apply(kwargs={"value": "plain"}).get() == "plain"
    assert CALLS == ["plain"]


def test_task_asking_for_a_retry_leaves_the_effect_to_the_next_delivery(django_capture_on_commit_callbacks):
    FAILURES["a"] = 1
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record()

    effect = Effect.objects.get()
    assert CALLS == []
    assert (effect.state, effect.attempts, effect.claimed_at) == (EffectState.PENDING, 1, None)
    assert effect.last_error == "OSError('SMTP down')"

    effects_reconcile(now=timezone.now() + timedelta(minutes=1))

    effect.refresh_from_db()
    assert CALLS == ["a"]
    assert (effect.state, effect.attempts) == (EffectState.DONE, 2)


def test_failing_task_marks_the_effect_failed_and_the_commit_stands(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record("x", task="delivery.tests.always_fails")

    effect = Effect.objects.get()
    assert (effect.state, effect.attempts, effect.last_error) == (
        EffectState.FAILED,
        1,
        "ValueError('cannot make x')",
    )


def test_retry_now_publishes_a_failed_effect_again():
    _record()
    Effect.objects.update(state=EffectState.FAILED, last_error="ValueError()")

    assert effect_retry(effects=Effect.objects.all()) == 1

    assert CALLS == ["a"]
    assert Effect.objects.get().state == EffectState.DONE


def test_retry_now_leaves_a_done_effect_alone():
    _record()
    Effect.objects.update(state=EffectState.DONE)

    assert effect_retry(effects=Effect.objects.all()) == 0

    assert CALLS == []


def test_unreachable_broker_keeps_the_effect_pending_then_the_reconciler_delivers_once(
    broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record()

    effect = Effect.objects.get()
    assert effect.state == EffectState.PENDING
    assert effect.last_error.startswith("publish: ")
    assert CALLS == []

    app.conf.task_always_eager = True  # the broker is back (tasks run here)
    assert effects_reconcile().as_dict() == {"published": 0, "failed": 0, "skipped": 0}  # within grace
    later = timezone.now() + timedelta(minutes=1)
    assert effects_reconcile(now=later).as_dict() == {"published": 1, "failed": 0, "skipped": 0}
    assert effects_reconcile(now=later).as_dict() == {"published": 0, "failed": 0, "skipped": 0}

    assert CALLS == ["a"]
    assert Effect.objects.get().state == EffectState.DONE


def test_after_a_broker_error_commits_leave_effects_to_the_reconciler(broker_down, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record("a")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record("b")

    assert dict(Effect.objects.values_list("key", "last_error")) == {
        "test:a": Effect.objects.get(key="test:a").last_error,
        "test:b": "",  # not even tried: the broker was known to be down
    }
    assert set(Effect.objects.values_list("state", flat=True)) == {EffectState.PENDING}


def test_reconciler_republishes_a_published_effect_the_broker_lost():
    _record()
    long_ago = timezone.now() - timedelta(hours=1)
    Effect.objects.update(state=EffectState.PUBLISHED, published_at=long_ago, updated_at=long_ago)

    assert effects_reconcile().published == 1

    effect = Effect.objects.get()
    assert CALLS == ["a"]
    assert (effect.state, effect.publish_count) == (EffectState.DONE, 1)


def test_reconciler_leaves_recently_published_and_done_effects_alone():
    _record("a")
    _record("b")
    Effect.objects.filter(key="test:a").update(state=EffectState.PUBLISHED, published_at=timezone.now())
    Effect.objects.filter(key="test:b").update(state=EffectState.DONE)

    assert effects_reconcile(now=timezone.now() + timedelta(minutes=5)).published == 0
    assert CALLS == []


def test_effects_status_prints_counts_by_kind_and_state(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record("a")
        _record("x", task="delivery.tests.always_fails")
    effect_record(kind="pdf.version", key="pdf:version:1", task="none", kwargs={}, queue=Queue.PDF)
    out = io.StringIO()

    call_command("effects_status", stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["kind", "pending", "published", "done", "failed"]
    assert lines[1].split() == ["pdf.version", "1", "0", "0", "0"]
    assert lines[2].split() == ["test.call", "0", "0", "1", "1"]
    assert lines[3].split() == ["total", "1", "0", "1", "1"]
    assert lines[4].startswith("oldest unfinished: ")
    assert effects_counts() == {
        ("pdf.version", "pending"): 1,
        ("test.call", "done"): 1,
        ("test.call", "failed"): 1,
    }


def test_oldest_unfinished_age():
    assert oldest_unfinished_age() is None
    _record()
    Effect.objects.update(created_at=timezone.now() - timedelta(seconds=90))

    assert 90 <= oldest_unfinished_age() < 120


def test_admin_retry_now_action(admin_client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        _record("x", task="delivery.tests.always_fails")
    effect = Effect.objects.get()

    response = admin_client.post(
        "/admin/delivery/effect/", {"action": "retry_now", "_selected_action": [effect.pk]}, follow=True
    )

    assert response.status_code == 200
    effect.refresh_from_db()
    assert (effect.state, effect.attempts) == (EffectState.FAILED, 2)
    assert [str(m) for m in response.context["messages"]] == ["已重新发布的后台任务：1 个。"]


def test_admin_lists_effects(admin_client):
    _record()

    response = admin_client.get("/admin/delivery/effect/?state=pending")

    assert response.status_code == 200
    assert "test:a" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_background_publisher_publishes_after_commit_off_the_committing_thread(settings):
    settings.EFFECTS_PUBLISH_IN_BACKGROUND = True
    with transaction.atomic():
        _record()

    effects._background_publisher().flush(timeout=30)

    assert CALLS == ["a"]
    assert Effect.objects.get().state == EffectState.DONE


def test_a_pdf_recorded_after_many_mails_goes_out_first_across_batches(settings, django_capture_on_commit_callbacks):
    """The background publisher hands the dispatcher every key waiting; PDFs go out first."""
    settings.EFFECTS_BATCH = 2  # five effects: three batches
    with django_capture_on_commit_callbacks(execute=False), transaction.atomic():
        for value in ("m1", "m2", "m3", "m4"):
            _record(value)
        effect_record(kind="test.call", key="test:pdf", task=record_call_task, kwargs={"value": "pdf"}, queue=Queue.PDF)

    result = effects.effects_dispatch(["test:m1", "test:m2", "test:m3", "test:m4", "test:pdf"])

    assert (result.published, CALLS) == (5, ["pdf", "m1", "m2", "m3", "m4"])
    assert set(Effect.objects.values_list("state", flat=True)) == {EffectState.DONE}
