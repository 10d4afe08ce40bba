"""Helpers the project services share: the manager check and the project's page address."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from ..models import Project
from ..permissions import project_standing


def require_manager(project: Project, user: AbstractUser) -> None:
    if not project_standing(project, user).is_manager:
        raise PermissionDenied


def project_url(project: Project) -> str:
    return reverse("projects:detail", args=[project.code])
