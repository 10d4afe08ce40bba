from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """A private .ics subscription: the user's own deadlines (project empty) or one project's
    calendar for its team. The URL's token is looked up by its SHA-256 and kept encrypted so the
    profile page can show the link again; revoking it makes the URL answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds", verbose_name=_("user")
    )
    project = models.ForeignKey(
        "projects.Project",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("project"),
    )
    token_sha256 = models.CharField(_("token fingerprint"), max_length=64, unique=True)
    token_encrypted = models.TextField(_("token (encrypted)"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project"],
                condition=Q(revoked_at__isnull=True),
                name="feed_one_active_per_user_project",
                nulls_distinct=False,
            )
        ]
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user} · {self.project or '-'}"
