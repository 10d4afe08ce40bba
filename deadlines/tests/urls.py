"""The site's URLs plus the calendar, for tests until delivery/urls.py includes deadlines.urls."""

from django.urls import include, path

from delivery.urls import urlpatterns as site_urlpatterns

urlpatterns = list(site_urlpatterns)
if not any(getattr(pattern, "namespace", None) == "deadlines" for pattern in urlpatterns):
    urlpatterns.append(path("calendar/", include("deadlines.urls")))
