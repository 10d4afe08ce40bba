from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BotsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "bots"
    verbose_name = _("Group bots")

    def ready(self) -> None:
        from notifications.hooks import on_notification_event

        from .services import bot_event_record

        on_notification_event(bot_event_record)
