from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # Register the notification verbs in every process (web, worker), and track sign-ins
        # (accounts.sessions) wherever Django signs someone in.
        from django.contrib.auth.signals import user_logged_in

        from . import verbs  # noqa: F401
        from .sessions import user_session_track

        user_logged_in.connect(user_session_track, dispatch_uid="accounts.user_session_track")
