from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "support"
    verbose_name = _("Technical support")

    def ready(self) -> None:
        # Registers the notification verbs and the effects of the support_response and
        # sales_confirmation deadlines (SPEC §5) with the deadline engine.
        from documents.hooks import register_waiting_source  # noqa: PLC0415 (apps and models are loaded only once ready() runs)
        from sealing.hooks import register_reference_resolver  # noqa: PLC0415 (apps and models are loaded only once ready() runs)

        from . import rules, verbs  # noqa: F401, PLC0415 (apps and models are loaded only once ready() runs)
        from .selectors import support_sealed_record, waiting_signature_items  # noqa: PLC0415 (apps and models are loaded only once ready() runs)

        rules.register()

        # The verification page asks us about sealed service forms and weekly reports.
        register_reference_resolver("support_", support_sealed_record)

        # Service forms and weekly reports join the "waiting for my signature" card and page.
        register_waiting_source(waiting_signature_items)
