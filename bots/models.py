from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import BotEvent, DeliveryState, Platform


class GroupBotHook(models.Model):
    """A project's group robot. The webhook URL (which carries the robot's key) and the signing
    secret are stored encrypted and never shown again: the page shows the host only."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="bot_hooks", verbose_name=_("project")
    )
    platform = models.CharField(_("platform"), max_length=10, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=100)
    url_encrypted = models.TextField(_("webhook URL (encrypted)"))
    url_host = models.CharField(_("webhook host"), max_length=200)
    secret_encrypted = models.TextField(_("signing secret (encrypted)"), blank=True)
    events = models.JSONField(_("events"), default=list)
    active = models.BooleanField(_("active"), default=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("group bot")
        verbose_name_plural = _("group bots")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.name}"

    @property
    def event_labels(self) -> list[str]:
        return [BotEvent(code).label for code in self.events if code in BotEvent.values]


class BotDelivery(models.Model):
    """One message to one hook: recorded with the event, sent by a task after commit, retried
    with growing pauses; the text holds no secret (it is the notification's text)."""

    hook = models.ForeignKey(GroupBotHook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(_("event"), max_length=30, choices=BotEvent.choices)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="bot_delivery_state_idx")]
        verbose_name = _("bot message")
        verbose_name_plural = _("bot messages")

    def __str__(self) -> str:
        return f"{self.hook_id} · {self.event} · {self.state}"
