from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from accounts import views as account_views
from delivery import views
from projects import views as project_views

admin.site.site_header = _("Delivery projects administration")
admin.site.site_title = _("Delivery projects")
admin.site.index_title = _("Administration")

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/", project_views.dashboard, name="dashboard"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Django's own account pages, with our limits and session rules (accounts.views).
    path("accounts/password_reset/", account_views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password_change/", account_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("accounts/", include("accounts.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("notifications/", include("notifications.urls")),
    path("", include("documents.urls")),
    path("", include("changes.urls")),
    path("calendar/", include("deadlines.urls")),
    path("projects/", include("golive.urls")),
    path("projects/", include("bots.urls")),
    path("projects/", include("dossier.urls")),
    path("projects/", include("projects.urls")),
    path("support/", include("support.urls")),
    path("api/", include("api.urls")),
    path("profile/", include("api.profile_urls")),
    path("feeds/", include("feeds.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "delivery.views.error_403"
handler404 = "delivery.views.error_404"
handler500 = "delivery.views.error_500"
