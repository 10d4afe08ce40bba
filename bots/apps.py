from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from notifications.hooks import on_notification_event


class BotsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bots"
    verbose_name = _("Group bots")

    def ready(self) -> None:
        from .services import bot_event_record  # noqa: PLC0415 (AppConfig.ready: models are not loaded at import)

        on_notification_event(bot_event_record)
