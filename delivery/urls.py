from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from delivery import views
from projects import views as project_views

admin.site.site_header = _("Delivery projects administration")
admin.site.site_title = _("Delivery projects")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", project_views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(extra_email_context={"product_name": settings.SITE_NAME}),
        name="password_reset",
    ),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("documents.urls")),
    path("", include("changes.urls")),
    path("calendar/", include("deadlines.urls")),
    path("projects/", include("golive.urls")),
    path("projects/", include("projects.urls")),
    path("support/", include("support.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "delivery.views.error_403"
handler404 = "delivery.views.error_404"
handler500 = "delivery.views.error_500"
