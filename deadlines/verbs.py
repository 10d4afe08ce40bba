"""Notification verbs of the deadline engine (registered when the app is ready)."""

from django.utils.translation import gettext_lazy as _

from notifications.verbs import register_verb

DEADLINE_REMINDER = register_verb(
    "deadlines.reminder",
    _("Reminder: “%(rule)s” for %(target)s is due by the end of %(due)s — one working day left."),
)
DEADLINE_MOVED = register_verb(
    "deadlines.moved",
    _("The calendar changed: “%(rule)s” for %(target)s is now due by the end of %(due)s (was %(old_due)s)."),
)
