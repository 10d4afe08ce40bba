from django.urls import path

from . import views

app_name = "golive"

urlpatterns = [
    path("<slug:code>/golive/", views.overview, name="overview"),
    path("<slug:code>/golive/notice/", views.notice_issue, name="notice_issue"),
    path("<slug:code>/golive/notice/<int:notice_id>/objection/", views.objection_file, name="objection"),
    path("<slug:code>/golive/actual/", views.actual_record, name="actual"),
    path("<slug:code>/golive/visits/", views.visit_add, name="visit_add"),
    path("<slug:code>/golive/acceptance-meeting/", views.meeting_record, name="meeting"),
    path("<slug:code>/problems/", views.problems, name="problems"),
    path("<slug:code>/problems/<int:number>/", views.problem_detail, name="problem"),
]
