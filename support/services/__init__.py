"""Writes and workflows of the support procedure (SPEC §6), split by subject:

- requests: filing, emergency, response, planning, work, completion, closing
- work: deviations and their agreed result, internal notes, effort
- service_form: the support service form, signed online or on paper
- reports: weekly technical reports
- escalations: disputes escalated along the §6 paths
- clocks: deadline effects and the periodic reminders
"""

from ._common import RequestMeta
from .clocks import support_reminders_send, support_request_confirmed_by_silence, support_request_response_missed
from .escalations import escalation_raise, escalation_resolve
from .reports import (
    week_monday,
    weekly_report_create,
    weekly_report_entry_add,
    weekly_report_entry_remove,
    weekly_report_hash,
    weekly_report_sign,
    weekly_report_split,
    weekly_report_submit,
    weekly_report_withdraw,
)
from .requests import (
    planning_document_save,
    support_request_accept,
    support_request_briefing_record,
    support_request_cancel,
    support_request_close,
    support_request_complete,
    support_request_dispute,
    support_request_emergency_start,
    support_request_file,
    support_request_file_formal,
    support_request_outcome_record,
    support_request_proposal_agree,
    support_request_sales_confirm,
    support_request_work_start,
)
from .roles import support_roles_set, user_can_grant_roles
from .service_form import (
    service_form_content,
    service_form_content_sha256,
    service_form_record_paper,
    service_form_send,
    service_form_sign,
)
from .work import deviation_report, deviation_result_record, effort_account_set, internal_note_add

__all__ = [
    "RequestMeta",
    "service_form_content_sha256",
    "deviation_report",
    "deviation_result_record",
    "effort_account_set",
    "escalation_raise",
    "escalation_resolve",
    "internal_note_add",
    "support_request_outcome_record",
    "planning_document_save",
    "service_form_content",
    "service_form_record_paper",
    "service_form_send",
    "service_form_sign",
    "support_request_briefing_record",
    "support_request_confirmed_by_silence",
    "support_request_emergency_start",
    "support_reminders_send",
    "support_request_accept",
    "support_request_cancel",
    "support_request_close",
    "support_request_complete",
    "support_request_dispute",
    "support_request_file",
    "support_request_file_formal",
    "support_request_sales_confirm",
    "support_request_response_missed",
    "support_request_proposal_agree",
    "support_roles_set",
    "user_can_grant_roles",
    "support_request_work_start",
    "week_monday",
    "weekly_report_create",
    "weekly_report_entry_add",
    "weekly_report_entry_remove",
    "weekly_report_hash",
    "weekly_report_sign",
    "weekly_report_split",
    "weekly_report_submit",
    "weekly_report_withdraw",
]
