from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from projects.hooks import register_gate_deliverables, register_milestone_source
from sealing.hooks import register_reference_resolver


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Deliverables")

    def ready(self) -> None:
        from . import verbs  # noqa: F401, PLC0415 (AppConfig.ready: registers the notification verbs on start-up)
        from .gates import gate_deliverable_items  # noqa: PLC0415 (AppConfig.ready: models are not loaded at import)
        from .selectors import plan_milestone_names, version_sealed_record  # noqa: PLC0415 (AppConfig.ready: models are not loaded at import)

        # Deliverable type codes carry no prefix: every code no other app claims is ours.
        register_reference_resolver("", version_sealed_record)
        # Projects asks the catalogue which deliverables its gates need, and the plan's milestones.
        register_gate_deliverables(gate_deliverable_items)
        register_milestone_source(plan_milestone_names)
