from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = _("Accounts and organisations")

    def ready(self) -> None:
        # Register the notification verbs in every process (web, worker), and track sign-ins
        # (accounts.sessions) wherever Django signs someone in.

        from . import verbs  # noqa: F401, PLC0415 (AppConfig.ready: registers the notification verbs on start-up)
        from .sessions import user_session_track  # noqa: PLC0415 (AppConfig.ready: models are not loaded at import)

        user_logged_in.connect(user_session_track, dispatch_uid="accounts.user_session_track")
