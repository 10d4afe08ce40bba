from django.utils.translation import gettext_lazy as _

from notifications.verbs import register_verb

register_verb("documents.submitted", _("%(actor)s submitted %(document)s version %(number)s for your signature"))
register_verb("documents.confirmed", _("%(document)s version %(number)s was confirmed"))
register_verb("documents.returned", _("%(actor)s returned %(document)s version %(number)s with comments"))
register_verb("documents.delivered", _("%(actor)s sent you %(document)s version %(number)s"))
register_verb(
    "documents.signer_turn", _("%(actor)s signed %(document)s version %(number)s; it now waits for your signature")
)
