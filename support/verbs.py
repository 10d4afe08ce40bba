"""Notification verbs of the support procedure (registered when the app is ready)."""

from django.utils.translation import gettext_lazy as _

from notifications.verbs import register_verb

FILED = register_verb("support.filed", _("%(actor)s filed support request %(request)s"))
EMERGENCY_STARTED = register_verb(
    "support.emergency_started",
    _("%(actor)s approved emergency support %(request)s; %(sales)s must file the formal request"),
)
EMERGENCY_REMINDER = register_verb(
    "support.emergency_reminder",
    _("Reminder: emergency support %(request)s is under way; the formal support request has not been filed yet."),
)
ACCEPTED = register_verb("support.accepted", _("%(actor)s accepted support request %(request)s"))
RESPONSE_OVERDUE = register_verb(
    "support.response_overdue",
    _("Support request %(request)s was not answered by the end of %(due)s: escalated to the technical director."),
)
STEP_OVERDUE = register_verb(
    "support.step_overdue",
    _("Support request %(request)s: “%(step)s” was due by the end of %(due)s and is overdue: escalated."),
)
PROPOSAL_AGREED = register_verb(
    "support.proposal_agreed",
    _("%(actor)s agreed the proposal of %(request)s to be complete by the end of %(due)s"),
)
DEVIATION_RESULT = register_verb(
    "support.deviation_result",
    _("%(actor)s recorded the agreed result of a deviation on %(request)s: %(result)s"),
)
DEVIATION = register_verb(
    "support.deviation", _("%(actor)s reported a deviation (%(kind)s) on support request %(request)s")
)
FORM_SENT = register_verb("support.form_sent", _("%(actor)s asks you to sign the support service form of %(request)s"))
FORM_SIGNED = register_verb(
    "support.form_signed",
    _("The support service form of %(request)s is signed; confirm completion by the end of %(due)s."),
)
COMPLETED = register_verb(
    "support.completed",
    _(
        "%(actor)s completed support request %(request)s; please confirm by the end of %(due)s "
        "— no reply means complete."
    ),
)
COMPLETION_OVERDUE = register_verb(
    "support.completion_overdue",
    _("The engineer has not confirmed completion of %(request)s; it was due by the end of %(due)s."),
)
CONFIRMED = register_verb("support.confirmed", _("%(actor)s confirmed that support request %(request)s is complete"))
CONFIRMED_BY_SILENCE = register_verb(
    "support.confirmed_by_silence",
    _("Support request %(request)s counts as complete: sales did not reply by the end of %(due)s."),
)
DISPUTED = register_verb(
    "support.disputed", _("%(actor)s disputed the completion of support request %(request)s: %(subject)s")
)
CLOSED = register_verb("support.closed", _("%(actor)s closed support request %(request)s"))
CANCELLED = register_verb("support.cancelled", _("%(actor)s cancelled support request %(request)s"))
ESCALATED = register_verb("support.escalated", _("%(actor)s escalated support request %(request)s: %(subject)s"))
ESCALATION_RESOLVED = register_verb(
    "support.escalation_resolved", _("%(actor)s resolved the escalation “%(subject)s” on %(request)s")
)
REPORT_SUBMITTED = register_verb(
    "support.report_submitted", _("%(actor)s asks you to sign the weekly technical report of the week of %(week)s")
)
REPORT_SIGNED = register_verb(
    "support.report_signed", _("%(actor)s signed your weekly technical report of the week of %(week)s")
)
