from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PdfStatus(models.TextChoices):
    """Where a record's sealed PDF is: rendered once by the worker after the record is signed."""

    NONE = "none", _("Not needed yet")
    PENDING = "pending", _("Being prepared")
    READY = "ready", pgettext_lazy("signed PDF", "Ready")
    FAILED = "failed", pgettext_lazy("signed PDF", "Failed")
