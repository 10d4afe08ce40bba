"""Technical support requests (SPEC §6), one module per concept:

- ``requests``: the request, its lifecycle and its audit trail;
- ``roles``: the vendor's support roles;
- ``work``: planning documents, deviations, internal notes and escalations;
- ``service_form``: the service form the customer signs at completion;
- ``reports``: weekly technical reports and the effort accounted from them.

Everything is re-exported here so ``from support.models import X`` keeps working.
"""

from .reports import EffortAccount, WeeklyReport, WeeklyReportEntry
from .requests import RequestEvent, SupportRequest
from .roles import SupportRole
from .service_form import ServiceForm, _form_paper_path, _form_pdf_path
from .work import Deviation, Escalation, InternalNote, PlanningDocument, _planning_path

__all__ = [
    "Deviation",
    "EffortAccount",
    "Escalation",
    "InternalNote",
    "PlanningDocument",
    "RequestEvent",
    "ServiceForm",
    "SupportRequest",
    "SupportRole",
    "WeeklyReport",
    "WeeklyReportEntry",
    # upload_to callables that migration 0001 names as support.models._*
    "_form_paper_path",
    "_form_pdf_path",
    "_planning_path",
]
