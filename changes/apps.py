from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChangesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "changes"
    verbose_name = _("Change requests")

    def ready(self) -> None:
        # In every process (web, worker, beat): notification verbs render by code, the sweep
        # looks effects up by rule, and documents and golive call their listeners.
        from django.apps import apps

        from deadlines.enums import RuleCode
        from deadlines.registry import register_rule
        from documents.services import on_version_accepted
        from sealing.verification import register_reference_resolver

        from . import verbs  # noqa: F401
        from .services import (
            change_describe,
            change_reply_concerned,
            change_reply_overdue,
            change_reply_overdue_withdraw,
            change_reply_people,
            change_version_accepted,
            claim_window_closed,
            claim_window_concerned,
            claim_window_people,
            claim_window_reopen,
            compensation_windows_open,
        )

        # A calendar correction may withdraw both effects: an early overdue flag, an early close.
        register_rule(
            RuleCode.CHANGE_REPLY,
            effect=change_reply_overdue,
            reminder_recipients=change_reply_people,
            describe=change_describe,
            people=change_reply_concerned,
            withdraw=change_reply_overdue_withdraw,
            clause="§4.2, §4.3",
        )
        register_rule(
            RuleCode.COMPENSATION_CLAIM,
            effect=claim_window_closed,
            reminder_recipients=claim_window_people,
            describe=change_describe,
            people=claim_window_concerned,
            withdraw=claim_window_reopen,
            clause="§4.1, §4.2",
        )
        on_version_accepted(change_version_accepted)
        register_reference_resolver("change-", _sealed_change_name)
        if apps.is_installed("golive"):
            # §4.1, §4.2: going live (signed or deemed) opens the compensation claim windows.
            from golive.services import on_golive

            on_golive(compensation_windows_open)


def _sealed_change_name(reference) -> str | None:
    """The verification page's question for a sealed change letter or reply: on record, and called what?"""
    from django.utils.translation import gettext as _

    from .selectors import change_reference_on_record

    on_record = change_reference_on_record(
        project_code=reference.project_code,
        document_type=reference.document_type,
        number=reference.version,
        sha256=reference.sha256,
    )
    if not on_record:
        return None
    return _("Change letter") if reference.document_type == "change-letter" else _("Reply to a change letter")
