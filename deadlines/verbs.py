"""Notification verbs of the deadline engine (registered when the app is ready)."""

from django.utils.translation import gettext_lazy as _

from deadlines.enums import CorrectionOutcome
from notifications.verbs import register_verb

DEADLINE_REMINDER = register_verb(
    "deadlines.reminder",
    _("Reminder: “%(rule)s” for %(target)s is due by the end of %(due)s — one working day left."),
)
DEADLINE_MOVED = register_verb(
    "deadlines.moved",
    _("The calendar changed: “%(rule)s” for %(target)s is now due by the end of %(due)s (was %(old_due)s)."),
)
# A calendar change found that a deadline's effect had already fired (SPEC §5): both sides are told.
DEADLINE_CORRECTED_STANDS = register_verb(
    "deadlines.corrected",
    _(
        "The calendar changed: “%(rule)s” for %(target)s fired on %(fired)s under a provisional calendar "
        "(due %(old_due)s); the correct end is %(due)s. What happened then stands."
    ),
)
DEADLINE_CORRECTED_WITHDRAWN = register_verb(
    "deadlines.corrected_withdrawn",
    _(
        "The calendar changed: “%(rule)s” for %(target)s fired on %(fired)s, before its correct end %(due)s "
        "(it was computed as %(old_due)s). Its effect is withdrawn and the deadline runs to %(due)s."
    ),
)
DEADLINE_CORRECTED_MET = register_verb(
    "deadlines.corrected_met",
    _(
        "The calendar changed: “%(rule)s” for %(target)s fired on %(fired)s, before its correct end %(due)s "
        "(it was computed as %(old_due)s). Its effect is withdrawn: what was awaited happened in time."
    ),
)
DEADLINE_CORRECTED_REVIEW = register_verb(
    "deadlines.corrected_review",
    _(
        "The calendar changed: “%(rule)s” for %(target)s fired on %(fired)s, before its correct end %(due)s "
        "(it was computed as %(old_due)s). What followed (%(clause)s) is not reversed automatically; "
        "an administrator reviews it."
    ),
)
DEADLINE_CORRECTION_REVIEW = register_verb(
    "deadlines.correction_review",
    _(
        "Calendar correction to review: “%(rule)s” for %(target)s fired on %(fired)s (due %(old_due)s); "
        "the correct end is %(due)s; clause %(clause)s."
    ),
)
CORRECTION_VERBS = {
    CorrectionOutcome.STANDS: DEADLINE_CORRECTED_STANDS,
    CorrectionOutcome.WITHDRAWN: DEADLINE_CORRECTED_WITHDRAWN,
    CorrectionOutcome.WITHDRAWN_MET: DEADLINE_CORRECTED_MET,
    CorrectionOutcome.ADMIN_REVIEW: DEADLINE_CORRECTED_REVIEW,
}
