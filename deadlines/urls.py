from django.urls import path

from . import views

app_name = "deadlines"

# Included by the site at "calendar/".
urlpatterns = [
    path("", views.calendar_year, name="calendar"),
    path("<int:year>/", views.calendar_year, name="calendar_year"),
]
