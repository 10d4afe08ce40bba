from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Deliverables")

    def ready(self) -> None:
        from sealing.verification import register_reference_resolver

        from . import verbs  # noqa: F401  (registers the notification verbs)
        from .selectors import version_sealed_record

        # Deliverable type codes carry no prefix: every code no other app claims is ours.
        register_reference_resolver("", version_sealed_record)
