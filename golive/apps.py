from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GoliveConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "golive"
    verbose_name = _("Go-live and after")

    def ready(self) -> None:
        from . import rules, verbs  # noqa: F401  (deadline rules, notification verbs, listeners)
