from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .verbs import get_verb


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    verb = models.CharField(_("verb"), max_length=100)
    context = models.JSONField(_("context"), default=dict, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    url = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set once the mail server has accepted the e-mail; a sent notification is not sent again.
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread_idx")]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")

    def __str__(self) -> str:
        return self.message

    @property
    def message(self) -> str:
        try:
            return str(get_verb(self.verb).message) % self.context_for_reader()
        except (KeyError, ValueError, TypeError):
            return self.verb

    def context_for_reader(self) -> dict[str, str]:
        """Values stored in every language (see notification_create) in the active one."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        return {
            key: value.get(language) or value.get(settings.LANGUAGE_CODE) or next(iter(value.values()), "")
            if isinstance(value, dict)
            else value
            for key, value in self.context.items()
        }

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
