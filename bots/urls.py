from django.urls import path

from . import views

app_name = "bots"

urlpatterns = [
    path("<str:code>/bots/", views.hook_list, name="list"),
    path("<str:code>/bots/<int:hook_id>/test/", views.hook_test_view, name="test"),
    path("<str:code>/bots/<int:hook_id>/delete/", views.hook_delete_view, name="delete"),
]
