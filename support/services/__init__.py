"""Writes and workflows of the support procedure (SPEC §6), split by subject:

- requests: filing, emergency, response, planning, work, completion, closing, effort
- service_form: the support service form, signed online or on paper
- reports: weekly technical reports
- escalations: disputes escalated along the §6 paths
- clocks: deadline effects and the periodic reminders
"""

from ._common import RequestMeta
from .clocks import support_confirmed_by_silence, support_reminders_send, support_response_missed
from .escalations import escalation_raise, escalation_resolve
from .reports import (
    week_monday,
    weekly_report_create,
    weekly_report_entry_add,
    weekly_report_entry_remove,
    weekly_report_hash,
    weekly_report_sign,
    weekly_report_submit,
    weekly_report_withdraw,
)
from .requests import (
    deviation_report,
    deviation_result_record,
    effort_account_set,
    internal_note_add,
    outcome_record,
    planning_document_save,
    support_briefing_record,
    support_emergency_start,
    support_proposal_agree,
    support_request_accept,
    support_request_cancel,
    support_request_close,
    support_request_complete,
    support_request_dispute,
    support_request_file,
    support_request_file_formal,
    support_request_sales_confirm,
    support_work_start,
)
from .roles import support_roles_set, user_can_grant_roles
from .service_form import (
    content_sha256,
    service_form_content,
    service_form_mark_pdf,
    service_form_record_paper,
    service_form_send,
    service_form_sign,
)

__all__ = [
    "RequestMeta",
    "content_sha256",
    "deviation_report",
    "deviation_result_record",
    "effort_account_set",
    "escalation_raise",
    "escalation_resolve",
    "internal_note_add",
    "outcome_record",
    "planning_document_save",
    "service_form_content",
    "service_form_mark_pdf",
    "service_form_record_paper",
    "service_form_send",
    "service_form_sign",
    "support_briefing_record",
    "support_confirmed_by_silence",
    "support_emergency_start",
    "support_reminders_send",
    "support_request_accept",
    "support_request_cancel",
    "support_request_close",
    "support_request_complete",
    "support_request_dispute",
    "support_request_file",
    "support_request_file_formal",
    "support_request_sales_confirm",
    "support_response_missed",
    "support_proposal_agree",
    "support_roles_set",
    "user_can_grant_roles",
    "support_work_start",
    "week_monday",
    "weekly_report_create",
    "weekly_report_entry_add",
    "weekly_report_entry_remove",
    "weekly_report_hash",
    "weekly_report_sign",
    "weekly_report_submit",
    "weekly_report_withdraw",
]
