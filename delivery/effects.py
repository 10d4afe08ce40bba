"""Durable side effects: the transactional outbox.

A service never hands work to Celery directly. It records the effect in its own transaction::

    from delivery.effects import effect_record

    @transaction.atomic
    def version_sign(...):
        ...  # database work
        effect_record(
            kind="pdf.version",                  # what it is, for the admin and effects_status
            key=f"pdf:version:{version.pk}",     # unique: recording it again does nothing
            task="sealing.render_sealed_pdf",    # the Celery task's name (or the task itself)
            kwargs={"model": "documents.deliverableversion", "pk": version.pk},  # JSON: primitive ids only
            queue=Queue.PDF,                     # pdf, mail, deadlines or default
        )

and decorates the task so that the worker reports back::

    @shared_task(name="sealing.render_sealed_pdf", bind=True, max_retries=3)
    @effect_task
    def sealed_pdf_render_task(self, *, model: str, pk: int) -> bool: ...

The lifecycle of an effect:

1. **pending**: written with the change; if the transaction rolls back, so does the effect.
2. After commit, the dispatcher publishes it (in a background thread in web processes, with
   broker timeouts of seconds) and marks it **published**. A broker error is logged on the effect
   and never reaches the user: their change is committed and stays so.
3. The worker claims it (a lease of EFFECT_LEASE_SECONDS), runs the task and marks it **done**;
   an exception that escapes the task's own retries marks it **failed** with the error. A message
   delivered twice finds the effect claimed or done and does nothing.
4. The reconciler (beat, every minute) re-publishes effects pending for longer than
   EFFECTS_GRACE_SECONDS (the broker was down, the process died before publishing) and effects
   published EFFECTS_REDELIVER_SECONDS ago that no worker has finished (the broker lost the
   message: Redis restarted without persistence). Failed effects wait for "retry now" in the
   admin or ``manage.py effects_status --retry-failed``.

Keys name the thing made once: ``pdf:version:<id>``, ``mail:notification:<id>`` (a notification has
one recipient). Tasks stay idempotent on their own as well (a PDF that is ready is not redone).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import logging
import queue as queue_module
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from celery.exceptions import Retry
from django.conf import settings
from django.db import connections, transaction
from django.db.models import Count, F, Min, Q
from django.utils import timezone

from .celery import app
from .enums import EffectState, Queue
from .models import Effect

logger = logging.getLogger(__name__)

# Defaults; each can be overridden in settings under the same name.
EFFECTS_GRACE_SECONDS = 30  # the dispatcher publishes within a second; this is its head start
EFFECTS_REDELIVER_SECONDS = 15 * 60  # well past the broker's own redelivery (visibility_timeout)
EFFECT_LEASE_SECONDS = 5 * 60  # a worker that died while holding an effect lets go after this
EFFECTS_BATCH = 500  # effects published per reconciler pass (it runs again a minute later)
# After a broker error the dispatcher leaves new effects to the reconciler for this long instead
# of paying a connection timeout for every commit.
BROKER_BACKOFF_SECONDS = 15
PUBLISH_ORDER = {Queue.PDF: 0, Queue.DEFAULT: 1, Queue.DEADLINES: 2, Queue.MAIL: 3}


def _setting(name: str) -> Any:
    return getattr(settings, name, globals()[name])


@dataclass(frozen=True)
class EffectSpec:
    """One effect to record; see effect_record for the fields."""

    kind: str
    key: str
    task: str
    kwargs: dict
    queue: str = Queue.DEFAULT


# --- recording (inside the service's transaction) -------------------------------------------------


def effect_record(*, kind: str, key: str, task: Any, kwargs: dict, queue: str = Queue.DEFAULT) -> None:
    """Record one effect in the current transaction; it is published after commit.

    Idempotent by ``key``: recording a key that exists (in any state) changes nothing.
    ``task`` is a Celery task name or task object; ``kwargs`` must be JSON (primitive ids).
    """
    effects_record([EffectSpec(kind=kind, key=key, task=getattr(task, "name", task), kwargs=kwargs, queue=queue)])


def effects_record(specs: Iterable[EffectSpec]) -> None:
    """Record many effects with one INSERT (a notification to many people, a sweep's batch)."""
    specs = list(specs)
    if not specs:
        return
    Effect.objects.bulk_create(
        [
            Effect(
                kind=spec.kind,
                key=spec.key,
                task=getattr(spec.task, "name", spec.task),
                kwargs=spec.kwargs,
                queue=spec.queue,
            )
            for spec in specs
        ],
        ignore_conflicts=True,
    )
    keys = [spec.key for spec in specs]
    # Registered per call: a callback registered inside a savepoint that rolls back is dropped
    # together with the rows it would have published.
    transaction.on_commit(functools.partial(_after_commit, keys))


def _after_commit(keys: list[str]) -> None:
    if _setting_bool("EFFECTS_PUBLISH_IN_BACKGROUND"):
        _background_publisher().submit(keys)
    else:
        effects_dispatch(keys)


def _setting_bool(name: str) -> bool:
    return bool(getattr(settings, name, True))


# --- publishing -----------------------------------------------------------------------------------

_broker_down_until = 0.0


@dataclass
class PublishResult:
    published: int = 0
    failed: int = 0
    skipped: int = 0  # left pending because the broker was known to be down

    def as_dict(self) -> dict[str, int]:
        return {"published": self.published, "failed": self.failed, "skipped": self.skipped}


def broker_backoff_reset() -> None:
    """Forget a recorded broker error: the next commit tries the broker again at once."""
    global _broker_down_until
    _broker_down_until = 0.0


def effects_dispatch(keys: Sequence[str]) -> PublishResult:
    """Publish the pending effects among ``keys`` now (the after-commit path). Never raises."""
    if time.monotonic() < _broker_down_until:
        return PublishResult(skipped=len(keys))
    try:
        result = PublishResult()
        keys = _in_publish_order(list(keys))
        for start in range(0, len(keys), _setting("EFFECTS_BATCH")):  # bounded IN lists
            chunk = keys[start : start + _setting("EFFECTS_BATCH")]
            effects = list(Effect.objects.filter(key__in=chunk, state=EffectState.PENDING).order_by("id"))
            part = _publish(effects)
            result.published += part.published
            result.failed += part.failed
            if part.failed:  # the broker is down: leave the rest to the reconciler
                result.skipped += len(keys) - start - len(chunk)
                break
        return result
    except Exception:  # the change is committed; the reconciler will publish what is left
        logger.exception("Publishing effects %s failed; the reconciler will retry", list(keys)[:5])
        return PublishResult(failed=len(keys))


def _in_publish_order(keys: list[str]) -> list[str]:
    """``keys`` with every PDF first, across batches: one commit recording a sweep's thousands of
    e-mails and a signature's PDF must not publish the PDF after the e-mails (stable within a queue)."""
    batch = _setting("EFFECTS_BATCH")
    queues: dict[str, str] = {}
    for start in range(0, len(keys), batch):
        queues.update(Effect.objects.filter(key__in=keys[start : start + batch]).values_list("key", "queue"))
    return sorted(keys, key=lambda key: PUBLISH_ORDER.get(queues.get(key), len(PUBLISH_ORDER)))


def _publish(effects: list[Effect]) -> PublishResult:
    """Hand ``effects`` to the broker over one connection; stop at the first broker error."""

    global _broker_down_until
    result = PublishResult()
    if not effects:
        return result
    # A connection of its own (not the pool): a broken one is dropped with this batch. Tasks that
    # run in-process (task_always_eager: tests) need none.
    if app.conf.task_always_eager:
        connection_context = contextlib.nullcontext()
    else:  # one attempt: a broker that is down costs one connection timeout, then the reconciler
        connection_context = app.connection_for_write(transport_options={"max_retries": 0})
    # A signature's PDF goes out before a sweep's thousands of e-mails, here as in the queues.
    effects = sorted(effects, key=lambda effect: PUBLISH_ORDER.get(effect.queue, len(PUBLISH_ORDER)))
    sent: list[int] = []
    try:
        with connection_context as connection:
            for index, effect in enumerate(effects):
                try:
                    _send(app, connection, effect)
                except Exception as exc:
                    if _is_task_error(exc):  # an eager task raised: the task wrapper recorded it
                        result.published += 1
                        continue
                    _broker_down_until = time.monotonic() + _setting("BROKER_BACKOFF_SECONDS")
                    logger.warning("Broker unavailable while publishing effect %s: %r", effect.key, exc)
                    Effect.objects.filter(pk=effect.pk, state=EffectState.PENDING).update(
                        last_error=f"publish: {exc!r}"[:2000], updated_at=timezone.now()
                    )
                    result.failed += len(effects) - index
                    return result
                sent.append(effect.pk)
                result.published += 1
    finally:
        _mark_published(sent)
    _broker_down_until = 0.0
    return result


def _mark_published(pks: list[int]) -> None:
    """Two UPDATEs per batch, not two per effect. An effect a fast worker already finished (or
    an eager task ran) stays done; one whose marking is lost with the process is re-published
    by the reconciler and skipped by the worker."""
    if not pks:
        return
    now = timezone.now()
    Effect.objects.filter(pk__in=pks, state=EffectState.PENDING).update(
        state=EffectState.PUBLISHED, published_at=now, updated_at=now
    )
    Effect.objects.filter(pk__in=pks).update(publish_count=F("publish_count") + 1)


class _EagerTaskError(Exception):
    """A task run in-process (task_always_eager) raised; not a broker problem."""


def _is_task_error(exc: Exception) -> bool:
    return isinstance(exc, _EagerTaskError)


def _send(app, connection, effect: Effect) -> None:
    options = {"queue": effect.queue, "retry": False, "ignore_result": True}
    kwargs = {**effect.kwargs, "effect_key": effect.key}
    task = app.tasks.get(effect.task)
    if task is not None and app.conf.task_always_eager:
        # Tests and the zero-setup shell: the task runs here and now.
        try:
            task.apply_async(kwargs=kwargs, **options)
        except Exception as exc:
            raise _EagerTaskError(str(exc)) from exc
        return
    app.send_task(effect.task, kwargs=kwargs, connection=connection, **options)


# --- the reconciler -------------------------------------------------------------------------------


def effects_due(*, now: datetime | None = None) -> Q:
    """Effects the reconciler should publish (again) at ``now``."""
    now = now or timezone.now()
    grace = now - timedelta(seconds=_setting("EFFECTS_GRACE_SECONDS"))
    redeliver = now - timedelta(seconds=_setting("EFFECTS_REDELIVER_SECONDS"))
    lease = now - timedelta(seconds=_setting("EFFECT_LEASE_SECONDS"))
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease)
    return (Q(state=EffectState.PENDING, updated_at__lt=grace)) | (
        Q(state=EffectState.PUBLISHED, published_at__lt=redeliver) & unclaimed
    )


def effects_reconcile(*, now: datetime | None = None, limit: int | None = None) -> PublishResult:
    """Re-publish what the after-commit dispatch missed; returns how many went out."""
    global _broker_down_until
    _broker_down_until = 0.0  # the reconciler is the recovery path: always try the broker
    limit = limit or _setting("EFFECTS_BATCH")
    due = list(Effect.objects.filter(effects_due(now=now)).order_by("updated_at", "id")[:limit])
    # Published effects go back to pending first so _publish treats every one alike.
    Effect.objects.filter(pk__in=[e.pk for e in due if e.state == EffectState.PUBLISHED]).update(
        state=EffectState.PENDING
    )
    for effect in due:
        effect.state = EffectState.PENDING
    result = _publish(due)
    if due:
        logger.info("Reconciler: %s", result.as_dict())
    return result


def effect_retry(*, effects: Iterable[Effect]) -> int:
    """The admin's "retry now": failed or stuck effects go back to pending and out at once."""
    pks = [effect.pk for effect in effects]
    count = (
        Effect.objects.filter(pk__in=pks)
        .exclude(state=EffectState.DONE)
        .update(state=EffectState.PENDING, claimed_at=None, updated_at=timezone.now())
    )
    keys = list(Effect.objects.filter(pk__in=pks, state=EffectState.PENDING).values_list("key", flat=True))
    global _broker_down_until
    _broker_down_until = 0.0
    effects_dispatch(keys)
    return count


# --- the worker's side ----------------------------------------------------------------------------


def effect_task(func: Callable) -> Callable:
    """Decorate a task (under @shared_task) so that it claims, completes or fails its effect.

    The dispatcher passes ``effect_key``; a call without it (by hand, in a test) runs the task
    plainly. A key that is done, or claimed by a live run, makes the call a no-op returning None.
    """

    def run(*args: Any, effect_key: str | None = None, **kwargs: Any) -> Any:
        if effect_key is None:
            return func(*args, **kwargs)
        if not effect_claim(key=effect_key):
            logger.info("Effect %s is done or running elsewhere: nothing to do", effect_key)
            return None
        try:
            result = func(*args, **kwargs)
        except Retry as exc:
            _effect_release(key=effect_key, error=exc)
            raise
        except Exception as exc:
            effect_fail(key=effect_key, error=exc)
            raise
        effect_done(key=effect_key)
        return result

    # Celery reads the signature of what it decorates; keep the task's name and docs, not
    # __wrapped__, so that the extra effect_key argument is accepted.
    run.__name__, run.__qualname__, run.__doc__, run.__module__ = (
        func.__name__,
        func.__qualname__,
        func.__doc__,
        func.__module__,
    )
    return run


def effect_claim(*, key: str) -> bool:
    now = timezone.now()
    lease = now - timedelta(seconds=_setting("EFFECT_LEASE_SECONDS"))
    return bool(
        Effect.objects.filter(key=key)
        .exclude(state=EffectState.DONE)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=lease))
        .update(claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )


def effect_done(*, key: str) -> None:
    now = timezone.now()
    Effect.objects.filter(key=key).update(state=EffectState.DONE, done_at=now, claimed_at=None, updated_at=now)


def effect_fail(*, key: str, error: BaseException) -> None:
    Effect.objects.filter(key=key).exclude(state=EffectState.DONE).update(
        state=EffectState.FAILED, last_error=repr(error)[:2000], claimed_at=None, updated_at=timezone.now()
    )


def _effect_release(*, key: str, error: BaseException) -> None:
    """The task asked Celery to retry: let the retry (or a redelivery) claim it again."""
    cause = getattr(error, "exc", None) or error
    Effect.objects.filter(key=key).update(claimed_at=None, last_error=repr(cause)[:2000], updated_at=timezone.now())


# --- reading the state ----------------------------------------------------------------------------


def effects_counts() -> dict[tuple[str, str], int]:
    """{(kind, state): count} over every effect."""
    rows = Effect.objects.values("kind", "state").annotate(count=Count("id")).order_by("kind", "state")
    return {(row["kind"], row["state"]): row["count"] for row in rows}


def oldest_unfinished_age(*, now: datetime | None = None) -> float | None:
    """Seconds since the oldest effect still pending or published was recorded; None if none is."""
    now = now or timezone.now()
    oldest = Effect.objects.filter(state__in=[EffectState.PENDING, EffectState.PUBLISHED]).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return None if oldest is None else max(0.0, (now - oldest).total_seconds())


# --- the background publisher of web processes ----------------------------------------------------


class _BackgroundPublisher:
    """One daemon thread per process that publishes committed effects off the request's path.

    If the process dies with keys still queued here, the effects are pending in the database and
    the reconciler publishes them after the grace period.
    """

    def __init__(self) -> None:
        self._queue: queue_module.SimpleQueue[list[str]] = queue_module.SimpleQueue()
        self._idle = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="effects-publisher", daemon=True)
        self._thread.start()

    def submit(self, keys: list[str]) -> None:
        self._idle.clear()
        self._queue.put(keys)

    def flush(self, timeout: float) -> None:
        """Wait up to ``timeout`` seconds for what was submitted (a command about to exit)."""
        self._idle.wait(timeout)

    def _loop(self) -> None:
        while True:
            if self._queue.empty():
                self._idle.set()
            keys = list(self._queue.get())
            while True:
                try:
                    keys.extend(self._queue.get_nowait())
                except queue_module.Empty:
                    break
            try:
                effects_dispatch(keys)
            finally:
                connections.close_all()  # this thread's connections only


_publisher: _BackgroundPublisher | None = None
_publisher_lock = threading.Lock()


def _background_publisher() -> _BackgroundPublisher:
    global _publisher
    with _publisher_lock:
        if _publisher is None or not _publisher._thread.is_alive():
            _publisher = _BackgroundPublisher()
            # A management command or a script ends soon after its commit: give the thread a few
            # seconds to publish (what it cannot, the reconciler does).
            atexit.register(_publisher.flush, 5.0)
        return _publisher
