from django.utils.translation import gettext_lazy as _

from notifications.verbs import register_verb

register_verb("golive.objected", _("%(actor)s filed a written objection to the go-live notice of %(project)s"))
register_verb(
    "golive.deemed", _("%(project)s is deemed live on %(date)s (§3.1.4): the go-live confirmation is deemed accepted")
)
register_verb("golive.problem_reported", _("%(actor)s reported operation problem #%(number)s on %(project)s"))
register_verb(
    "golive.final_acceptance_due", _("%(project)s has run stably after go-live: prepare the final acceptance notice")
)
register_verb(
    "golive.notice_delivered",
    _(
        "%(actor)s delivered the go-live notice of %(project)s: go-live planned from %(date)s. You may object in "
        "writing within 15 working days of receipt (§3.1.4)."
    ),
)
register_verb(
    "golive.problem_moved", _("%(actor)s marked operation problem #%(number)s on %(project)s as %(status)s%(reason)s")
)
