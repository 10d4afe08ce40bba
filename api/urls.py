from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

from . import views

app_name = "api"

_project = "v1/projects/<str:code>/"
_version = _project + "deliverables/<str:type_code>/versions/<int:number>/"
_change = _project + "changes/<int:number>/"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("v1/projects/", views.ProjectList.as_view(), name="projects"),
    path(_project, views.ProjectDetail.as_view(), name="project"),
    path(_project + "team/", views.TeamList.as_view(), name="team"),
    path(_project + "deliverables/", views.DeliverableList.as_view(), name="deliverables"),
    path(_project + "deliverables/<str:type_code>/versions/", views.VersionList.as_view(), name="versions"),
    path(_version, views.VersionDetail.as_view(), name="version"),
    path(_project + "deadlines/", views.ProjectDeadlineList.as_view(), name="project_deadlines"),
    path(_project + "changes/", views.ChangeList.as_view(), name="changes"),
    path(_change, views.ChangeDetail.as_view(), name="change"),
    path(_change + "reply/", views.ChangeReply.as_view(), name="change_reply"),
    path(_change + "comments/", views.ChangeComment.as_view(), name="change_comment"),
    path(_project + "problems/", views.ProblemList.as_view(), name="problems"),
    path(_project + "problems/<int:number>/", views.ProblemDetail.as_view(), name="problem"),
    path("v1/deadlines/", views.MyDeadlineList.as_view(), name="deadlines"),
    path("v1/support-requests/", views.SupportRequestList.as_view(), name="support_requests"),
    path("v1/support-requests/<int:pk>/", views.SupportRequestDetail.as_view(), name="support_request"),
    re_path(r"^v1/", views.not_found),
]
