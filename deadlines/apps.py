from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "deadlines"
    verbose_name = _("Calendar and deadlines")

    def ready(self) -> None:
        from . import signals, verbs  # noqa: F401, PLC0415 (AppConfig.ready: the cache hooks read models)
