"""The profile page: personal access tokens for the API and calendar subscription links."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from delivery.forms import form_add_service_error
from feeds.selectors import feed_for_user
from feeds.services import feed_get_or_create, feed_revoke, feed_url
from projects.selectors import project_get_for_user, project_list_mine

from .forms import TokenForm
from .selectors import token_get_for_user, token_list_for_user
from .services import token_create, token_revoke


def _page(request: HttpRequest, *, form: TokenForm, new_token: str = "", status: int = 200) -> HttpResponse:
    feed = feed_get_or_create(user=request.user)
    projects = []
    for project in project_list_mine(user=request.user):
        project_feed = feed_for_user(user=request.user, project=project)
        url = request.build_absolute_uri(feed_url(project_feed)) if project_feed else ""
        projects.append((project, project_feed, url))
    context = {
        "tokens": token_list_for_user(user=request.user),
        "form": form,
        "new_token": new_token,
        "feed": feed,
        "feed_url": request.build_absolute_uri(feed_url(feed)),
        "project_feeds": projects,
        "api_docs_url": reverse("api:docs"),
    }
    response = render(request, "api/profile.html", context, status=status)
    if new_token:
        response["Cache-Control"] = "no-store"
    return response


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    return _page(request, form=TokenForm())


@login_required
@require_POST
def token_new(request: HttpRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            _token, raw = token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form_add_service_error(form, error)
        else:
            messages.success(request, _("Copy the token now: it is shown only once."))
            return _page(request, form=TokenForm(), new_token=raw)
    return _page(request, form=form, status=400)


@login_required
@require_POST
def token_revoke_view(request: HttpRequest, token_id: int) -> HttpResponse:
    token = token_get_for_user(user=request.user, token_id=token_id)
    token_revoke(token=token, user=request.user)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("profile:page")


@login_required
@require_POST
def feed_new(request: HttpRequest) -> HttpResponse:
    """A project's team feed for the user (the project is access-checked: 404 for outsiders)."""
    project = project_get_for_user(user=request.user, code=request.POST.get("project", ""))
    feed_get_or_create(user=request.user, project=project)
    return redirect("profile:page")


@login_required
@require_POST
def feed_revoke_view(request: HttpRequest) -> HttpResponse:
    code = request.POST.get("project", "")
    project = project_get_for_user(user=request.user, code=code) if code else None
    feed = feed_for_user(user=request.user, project=project)
    if feed is not None:
        feed_revoke(feed=feed, user=request.user)
        messages.success(request, _("The old calendar link no longer works; subscribe again with the new one."))
    if project is not None:
        feed_get_or_create(user=request.user, project=project)
    return redirect("profile:page")
