from django.apps import AppConfig, apps
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.hooks import on_version_accepted
from sealing.hooks import register_reference_resolver


class ChangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "changes"
    verbose_name = _("Change requests")

    def ready(self) -> None:
        # In every process (web, worker, beat): notification verbs render by code, the sweep
        # looks effects up by rule, and documents and golive call their listeners.

        from . import rules, verbs  # noqa: F401, PLC0415 (AppConfig.ready: models are not loaded at import)
        from .services import change_version_accepted, compensation_windows_open  # noqa: PLC0415 (AppConfig.ready: models are not loaded at import)

        rules.register()
        on_version_accepted(change_version_accepted)
        register_reference_resolver("change-", _sealed_change_name)
        if apps.is_installed("golive"):
            # §4.1, §4.2: going live (signed or deemed) opens the compensation claim windows.
            from golive.hooks import on_golive  # noqa: PLC0415 (golive is optional: imported only when installed)

            on_golive(compensation_windows_open)


def _sealed_change_name(reference) -> str | None:
    """The verification page's question for a sealed change letter or reply: on record, and called what?"""
    from .selectors import change_reference_on_record  # noqa: PLC0415 (selectors load models: apps.py is imported before them)

    on_record = change_reference_on_record(
        project_code=reference.project_code,
        document_type=reference.document_type,
        number=reference.version,
        sha256=reference.sha256,
    )
    if not on_record:
        return None
    return (
        gettext("Change letter") if reference.document_type == "change-letter" else gettext("Reply to a change letter")
    )
