"""The project's group bots page: the vendor PM adds, tests and removes hooks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.forms import form_add_service_error
from projects.permissions import project_standing
from projects.selectors import project_get_for_manager, project_get_for_user

from .forms import HookForm
from .models import GroupBotHook
from .services import hook_create, hook_delete, hook_test


def _hook(request: HttpRequest, code: str, hook_id: int) -> GroupBotHook:
    project = project_get_for_manager(user=request.user, code=code)
    hook = project.bot_hooks.filter(pk=hook_id).first()
    if hook is None:
        raise Http404
    hook.project = project
    return hook


@login_required
def hook_list(request: HttpRequest, code: str) -> HttpResponse:
    project = project_get_for_user(user=request.user, code=code)
    can_manage = project_standing(project, request.user).is_manager
    form = HookForm(request.POST or None) if can_manage else None
    status = 200
    if request.method == "POST":
        if form is None:
            project_get_for_manager(user=request.user, code=code)  # 403
        if form.is_valid():
            try:
                hook_create(project=project, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                form_add_service_error(form, error)
            else:
                messages.success(request, _("The group bot is added. Send a test message to check it."))
                return redirect("bots:list", code)
        status = 400
    context = {
        "project": project,
        "can_manage": can_manage,
        "form": form,
        "hooks": project.bot_hooks.all() if can_manage else [],
    }
    return render(request, "bots/hook_list.html", context, status=status)


@login_required
@require_POST
def hook_test_view(request: HttpRequest, code: str, hook_id: int) -> HttpResponse:
    hook = _hook(request, code, hook_id)
    delivery = hook_test(hook=hook, user=request.user)
    delivery.refresh_from_db()
    if delivery.state == "sent":
        messages.success(request, _("The test message was posted."))
    else:
        messages.info(request, _("The test message is on its way; refresh the page to see the outcome."))
    return redirect("bots:list", code)


@login_required
@require_POST
def hook_delete_view(request: HttpRequest, code: str, hook_id: int) -> HttpResponse:
    hook = _hook(request, code, hook_id)
    hook_delete(hook=hook, user=request.user)
    messages.success(request, _("The group bot is removed."))
    return redirect("bots:list", code)
