from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoliveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "golive"
    verbose_name = _("Go-live and after")

    def ready(self) -> None:
        # In every process (web, worker, beat): the sweep looks effects up by rule, notifications
        # render by verb, and documents and projects call golive's listeners.
        from . import listeners, rules, verbs  # noqa: F401, PLC0415 (AppConfig.ready: models are not loaded at import)

        rules.register()
        listeners.connect()
