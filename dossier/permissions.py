"""Who may have a project's dossier (issue: the vendor PM and the customer lead; internal documents
for the vendor side only)."""

from __future__ import annotations

from documents.permissions import user_is_vendor
from projects.permissions import project_standing


def user_can_request_dossier(project, user) -> bool:
    standing = project_standing(project, user)
    return standing.is_admin or (user.is_active and standing.is_lead)


def user_can_download(dossier, user) -> bool:
    if not user_can_request_dossier(dossier.project, user):
        return False
    return not dossier.includes_internal or user_is_vendor(user)
