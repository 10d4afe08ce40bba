"""Who may have a project's dossier (issue: the vendor PM and the customer lead; internal documents
for the vendor side only)."""

from __future__ import annotations

from documents.permissions import user_is_vendor


def user_can_request_dossier(project, user) -> bool:
    if not user.is_active:
        return False
    return user.is_superuser or user.pk in (project.vendor_pm_id, project.customer_lead_id)


def user_can_download(dossier, user) -> bool:
    if not user_can_request_dossier(dossier.project, user):
        return False
    return not dossier.includes_internal or user_is_vendor(user)
