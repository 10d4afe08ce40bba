from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeliveryConfig(AppConfig):
    """The project package is also an app: it owns the outbox of durable effects."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "delivery"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from . import heartbeat  # noqa: F401, PLC0415 (AppConfig.ready: the heartbeat reads models; connects to Celery signals)
