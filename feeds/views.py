"""The subscription URL itself: no login (calendar apps cannot log in), the token is the key."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from projects.models import Project
from projects.selectors import project_list_for_user, project_list_mine

from .ics import calendar_build
from .selectors import (
    deadline_list_concerning,
    deadline_list_for_project,
    feed_get_by_token,
    milestone_list,
    visit_list,
)


@require_GET
def feed_ics(request: HttpRequest, token: str) -> HttpResponse:
    feed = feed_get_by_token(token=token)
    user = feed.user
    if feed.project is not None:
        # The team's feed: the owner must still see the project, or the feed is gone (404).
        projects = project_list_for_user(user=user).filter(pk=feed.project_id)
        project = projects.first()
        if project is None:
            raise Http404
        body = calendar_build(
            name=_("%(project)s · project calendar") % {"project": project.code},
            deadlines=deadline_list_for_project(project=project),
            milestones=milestone_list(projects=projects),
            visits=visit_list(projects=projects),
        )
    else:
        mine = Project.objects.filter(pk__in=project_list_mine(user=user).values("pk"))
        body = calendar_build(
            name=_("My delivery deadlines"),
            deadlines=deadline_list_concerning(user=user),
            milestones=milestone_list(projects=mine),
            visits=visit_list(projects=mine),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="delivery.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
