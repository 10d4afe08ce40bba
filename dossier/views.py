from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.actions import action_run
from delivery.files import stored_file_response
from projects.selectors import project_get_for_user

from .enums import DossierState
from .permissions import user_can_request_dossier
from .selectors import dossier_get_for_user, dossier_list_for_user
from .services import dossier_request


@login_required
def dossier_page(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    context = {
        "project": project,
        "can_request": user_can_request_dossier(project, request.user),
        "dossiers": dossier_list_for_user(project=project, user=request.user),
    }
    return render(request, "dossier/dossier.html", context)


@login_required
@require_POST
def dossier_new(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    return action_run(
        request,
        dossier_request,
        project=project,
        user=request.user,
        success=_("The dossier is being built; this page shows its progress."),
        done=redirect("dossier:page", code),
    )


@login_required
def dossier_progress(request: HttpRequest, code: str, dossier_id: int) -> JsonResponse:
    project = project_get_for_user(user=request.user, code=code)
    dossier = dossier_get_for_user(project=project, user=request.user, dossier_id=dossier_id)
    return JsonResponse({"state": dossier.state, "progress": dossier.progress})


@login_required
def dossier_download(request: HttpRequest, code: str, dossier_id: int) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    dossier = dossier_get_for_user(project=project, user=request.user, dossier_id=dossier_id)
    if dossier.state != DossierState.READY or not dossier.file:
        raise Http404
    return stored_file_response(dossier.file, filename=f"{project.code}-dossier-{dossier.pk}.zip")
