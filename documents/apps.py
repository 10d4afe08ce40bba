from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = _("Deliverables")

    def ready(self) -> None:
        from projects.hooks import register_milestone_source
        from projects.lifecycle import register_gate_deliverables
        from sealing.verification import register_reference_resolver

        from . import verbs  # noqa: F401  (registers the notification verbs)
        from .gates import gate_deliverable_items
        from .selectors import plan_milestone_names, version_sealed_record

        # Deliverable type codes carry no prefix: every code no other app claims is ours.
        register_reference_resolver("", version_sealed_record)
        # Projects asks the catalogue which deliverables its gates need, and the plan's milestones.
        register_gate_deliverables(gate_deliverable_items)
        register_milestone_source(plan_milestone_names)
