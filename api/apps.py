from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = _("REST API")

    def ready(self) -> None:
        # Registers the token authentication with drf-spectacular (an import for its side effect).
        from . import schema  # noqa: F401, PLC0415 (AppConfig.ready: registers the API schema extensions on start-up)
