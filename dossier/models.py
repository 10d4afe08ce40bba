from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .enums import DossierState


def _zip_path(dossier: Dossier, filename: str) -> str:
    return f"dossiers/{dossier.project.code}/{dossier.pk}-{filename}"


class Dossier(models.Model):
    """One evidence bundle of a project (a ZIP with a sealed manifest), built in the background.

    The manifest (every file's SHA-256) is kept here too, so the verification page can confirm a
    sealed manifest PDF names a set that was issued."""

    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="dossiers", verbose_name=_("project")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("requested by")
    )
    includes_internal = models.BooleanField(_("includes internal documents"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=DossierState.choices, default=DossierState.PENDING)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.FileField(_("ZIP file"), upload_to=_zip_path, blank=True)
    manifest = models.JSONField(_("manifest"), default=dict, blank=True)
    manifest_sha256 = models.CharField(_("SHA-256 of manifest.json"), max_length=64, blank=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("evidence dossier")
        verbose_name_plural = _("evidence dossiers")

    def __str__(self) -> str:
        return f"{self.project.code} #{self.pk}"
