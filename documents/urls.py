from django.urls import path

from . import views

app_name = "documents"

_version = "projects/<str:code>/deliverables/<str:type_code>/v<int:number>/"

urlpatterns = [
    path("documents/verify/", views.verify, name="verify"),
    path("documents/waiting/", views.waiting_for_signature, name="waiting"),
    path("projects/<str:code>/deliverables/", views.deliverable_list, name="list"),
    path("projects/<str:code>/deliverables/<str:type_code>/", views.deliverable_detail, name="deliverable"),
    path("projects/<str:code>/deliverables/<str:type_code>/new/", views.version_start, name="start"),
    path(_version, views.version_detail, name="version"),
    path(_version + "edit/", views.version_edit, name="edit"),
    path(_version + "submit/", views.version_submit_view, name="submit"),
    path(_version + "attachments/", views.attachment_upload, name="attachment_upload"),
    path(_version + "attachments/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path(_version + "sign/", views.version_sign, name="sign"),
    path(_version + "return/", views.version_return_view, name="return"),
    path(_version + "offline/", views.version_offline, name="offline"),
    path(_version + "pdf/", views.version_pdf, name="pdf"),
    path(_version + "evidence/", views.version_evidence, name="evidence"),
    path(_version + "compare/<int:other>/", views.version_compare, name="compare"),
    path(_version + "password/", views.version_secret_reveal, name="secret"),
    path(_version + "passwords-changed/", views.version_passwords_changed, name="passwords_changed"),
]
