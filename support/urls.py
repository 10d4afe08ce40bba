from django.urls import path

from . import views

app_name = "support"

urlpatterns = [
    path("", views.request_list, name="list"),
    path("new/", views.request_create, name="create"),
    path("emergency/", views.emergency_start, name="emergency"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/file/", views.request_file_formal, name="file_formal"),
    path("<int:pk>/accept/", views.request_accept, name="accept"),
    path("<int:pk>/briefing/", views.request_briefing, name="briefing"),
    path("<int:pk>/planning/<str:kind>/", views.planning_document, name="planning"),
    path("<int:pk>/planning/<str:kind>/file/", views.planning_document_file, name="planning_file"),
    path("<int:pk>/start/", views.request_start, name="start"),
    path("<int:pk>/deviations/", views.request_deviation, name="deviation"),
    path("<int:pk>/outcome/", views.request_outcome, name="outcome"),
    path("<int:pk>/notes/", views.request_note, name="note"),
    path("<int:pk>/form/send/", views.service_form_send, name="form_send"),
    path("<int:pk>/form/paper/", views.service_form_paper, name="form_paper"),
    path("<int:pk>/form/sign/", views.service_form_sign, name="form_sign"),
    path("<int:pk>/form/pdf/", views.service_form_pdf, name="form_pdf"),
    path("<int:pk>/form/scan/", views.service_form_scan, name="form_scan"),
    path("<int:pk>/complete/", views.request_complete, name="complete"),
    path("<int:pk>/confirm/", views.request_sales_confirm, name="sales_confirm"),
    path("<int:pk>/dispute/", views.request_dispute, name="dispute"),
    path("<int:pk>/close/", views.request_close, name="close"),
    path("<int:pk>/cancel/", views.request_cancel, name="cancel"),
    path("<int:pk>/effort/", views.request_effort, name="effort_set"),
    path("<int:pk>/escalations/", views.request_escalate, name="escalate"),
    path("<int:pk>/escalations/<int:escalation_id>/resolve/", views.escalation_resolve, name="resolve"),
    path("<int:pk>/archive/", views.request_archive, name="archive"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
    path("reports/<int:pk>/lines/", views.report_entry_add, name="report_entry_add"),
    path("reports/<int:pk>/lines/<int:entry_id>/remove/", views.report_entry_remove, name="report_entry_remove"),
    path("reports/<int:pk>/submit/", views.report_submit, name="report_submit"),
    path("reports/<int:pk>/withdraw/", views.report_withdraw, name="report_withdraw"),
    path("reports/<int:pk>/sign/", views.report_sign, name="report_sign"),
    path("effort/", views.effort_table, name="effort"),
    path("effort/export/", views.effort_export, name="effort_export"),
]
