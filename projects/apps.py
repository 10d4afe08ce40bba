from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # Register the notification verbs in every process (web, worker), not only where a
        # service happens to be imported: notifications render their message by verb.
        from . import verbs  # noqa: F401, PLC0415 (AppConfig.ready: registers the notification verbs on start-up)
