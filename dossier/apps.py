from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from sealing.hooks import register_reference_resolver


class DossierConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "dossier"
    verbose_name = _("Evidence dossier")

    def ready(self) -> None:
        from .selectors import dossier_manifest_name  # noqa: PLC0415 (AppConfig.ready: models are not loaded at import)

        # The verification page asks us about sealed manifests ("<project>/dossier-manifest/<id>/<sha>").
        register_reference_resolver("dossier-", dossier_manifest_name)
