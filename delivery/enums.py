from django.db import models
from django.utils.translation import gettext_lazy as _


class EffectState(models.TextChoices):
    """An effect's life: recorded with the change (pending), handed to the broker (published),
    carried out by a worker (done) or given up after the task's own retries (failed)."""

    PENDING = "pending", _("pending")
    PUBLISHED = "published", _("published")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Queue(models.TextChoices):
    """Celery queues, one per kind of work, so that a sweep's mail never waits ahead of a PDF."""

    PDF = "pdf", _("PDF rendering")
    MAIL = "mail", _("e-mail")
    DEADLINES = "deadlines", _("deadlines")
    DEFAULT = "default", _("other")
