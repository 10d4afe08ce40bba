from django.urls import path

from . import views

app_name = "dossier"

urlpatterns = [
    path("<str:code>/dossier/", views.dossier_page, name="page"),
    path("<str:code>/dossier/new/", views.dossier_new, name="new"),
    path("<str:code>/dossier/<int:dossier_id>/progress/", views.dossier_progress, name="progress"),
    path("<str:code>/dossier/<int:dossier_id>/download/", views.dossier_download, name="download"),
]
