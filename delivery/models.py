from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import EffectState, Queue


class Effect(models.Model):
    """A side effect (a PDF to render, an e-mail to send) recorded in the transaction of the change
    that causes it, so that it is never lost: see delivery/effects.py for its lifecycle."""

    kind = models.CharField(_("kind"), max_length=50)
    # One effect per key: recording the same key again does nothing, and a worker that meets a
    # done key skips it, so re-publishing is always safe.
    key = models.CharField(_("key"), max_length=200, unique=True)
    task = models.CharField(_("task"), max_length=200)
    kwargs = models.JSONField(_("arguments"), default=dict, blank=True)
    queue = models.CharField(_("queue"), max_length=20, choices=Queue.choices, default=Queue.DEFAULT)
    state = models.CharField(_("state"), max_length=20, choices=EffectState.choices, default=EffectState.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    publish_count = models.PositiveIntegerField(_("times published"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set while a worker runs the task (a lease): a second delivery of the same message waits
    # for it to end instead of sending the e-mail twice.
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The reconciler and /healthz read only the unfinished effects.
            models.Index(
                fields=["state", "updated_at"],
                name="effect_unfinished_idx",
                condition=models.Q(state__in=[EffectState.PENDING, EffectState.PUBLISHED]),
            ),
            models.Index(fields=["kind", "state"], name="effect_kind_state_idx"),
        ]
        verbose_name = _("effect")
        verbose_name_plural = _("effects")

    def __str__(self) -> str:
        return self.key


class WorkerHeartbeat(models.Model):
    """Written by every running Celery worker every HEARTBEAT_SECONDS (delivery/heartbeat.py)."""

    hostname = models.CharField(_("worker"), max_length=200, unique=True)
    queues = models.CharField(_("queues"), max_length=200, blank=True)
    started_at = models.DateTimeField(_("started"))
    seen_at = models.DateTimeField(_("last seen"))

    class Meta:
        ordering = ["hostname"]
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")

    def __str__(self) -> str:
        return self.hostname
