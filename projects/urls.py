from django.urls import path

from . import views

app_name = "projects"

urlpatterns = [
    path("", views.project_list, name="list"),
    path("new/", views.project_create, name="create"),
    path("<slug:code>/", views.project_detail, name="detail"),
    path("<slug:code>/edit/", views.project_edit, name="edit"),
    path("<slug:code>/phase/advance/", views.project_phase_advance, name="phase_advance"),
    path("<slug:code>/phase/force/", views.project_phase_force, name="phase_force"),
    path("<slug:code>/phase/back/", views.project_phase_back, name="phase_back"),
    path("<slug:code>/kickoff/", views.kickoff, name="kickoff"),
    path("<slug:code>/kickoff/confirm/", views.kickoff_confirm, name="kickoff_confirm"),
    path("<slug:code>/team/", views.project_team, name="team"),
    path("<slug:code>/team/contacts.<str:fmt>", views.project_team_export, name="team_export"),
    path("<slug:code>/team/add/", views.member_add, name="member_add"),
    path("<slug:code>/team/<int:member_id>/edit/", views.member_edit, name="member_edit"),
    path("<slug:code>/team/<int:member_id>/remove/", views.member_remove, name="member_remove"),
    path("<slug:code>/work/", views.project_work, name="work"),
    path("<slug:code>/work/add/", views.work_item_add, name="work_item_add"),
    path("<slug:code>/work/<int:item_id>/edit/", views.work_item_edit, name="work_item_edit"),
    path("<slug:code>/work/<int:item_id>/delete/", views.work_item_delete, name="work_item_delete"),
    path("<slug:code>/checklist/<int:item_id>/edit/", views.responsibility_edit, name="responsibility_edit"),
    path("<slug:code>/risks/", views.risk_list, name="risks"),
    path("<slug:code>/risks/add/", views.risk_add, name="risk_add"),
    path("<slug:code>/risks/<int:risk_id>/edit/", views.risk_edit, name="risk_edit"),
    path("<slug:code>/reports/", views.status_report_list, name="reports"),
    path("<slug:code>/reports/add/", views.status_report_add, name="report_add"),
    path("<slug:code>/reports/<int:report_id>/edit/", views.status_report_edit, name="report_edit"),
    path("<slug:code>/reports/<int:report_id>/publish/", views.status_report_publish, name="report_publish"),
]
