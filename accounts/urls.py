from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("invitation/<str:token>/renew/", views.invitation_renew, name="invitation_renew"),
    path("stepup/code/", views.stepup_code_send, name="stepup_code"),
]
