from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from .enums import DOCUMENT_TYPE, DossierState
from .models import Dossier
from .permissions import user_can_download


def dossier_list_for_user(*, project, user) -> list[Dossier]:
    rows = Dossier.objects.filter(project=project).select_related("requested_by").order_by("-created_at", "-id")[:20]
    return [dossier for dossier in rows if user_can_download(dossier, user)]


def dossier_get_for_user(*, project, user, dossier_id: int) -> Dossier:
    dossier = Dossier.objects.filter(project=project, pk=dossier_id).first()
    if dossier is None:
        raise Http404
    dossier.project = project
    if not user_can_download(dossier, user):
        raise Http404
    return dossier


def dossier_pending(*, project) -> QuerySet[Dossier]:
    return Dossier.objects.filter(project=project, state__in=[DossierState.PENDING, DossierState.BUILDING])


def dossier_manifest_name(reference) -> str | None:
    """For the verification page: is this sealed manifest one we issued, with that fingerprint?"""
    if reference.document_type != DOCUMENT_TYPE or not reference.version.isdigit():
        return None
    dossier = Dossier.objects.filter(
        pk=int(reference.version),
        project__code=reference.project_code,
        manifest_sha256=reference.sha256,
        state=DossierState.READY,
    ).first()
    if dossier is None:
        return None
    return _("Evidence dossier manifest: %(count)s files, as issued on %(date)s") % {
        "count": len(dossier.manifest.get("files", [])),
        "date": dossier.finished_at.strftime("%Y-%m-%d") if dossier.finished_at else "",
    }
