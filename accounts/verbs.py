"""Notifications the accounts app sends. Messages are translated when shown, per reader."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.verbs import register_verb

STEPUP_LOCKED_SELF = register_verb(
    "accounts.stepup_locked_self",
    _(
        "Too many wrong passwords or codes were entered for your account: signing and other "
        "confirmations are locked until %(until)s. If this was not you, change your password."
    ),
).code
STEPUP_LOCKED_MANAGER = register_verb(
    "accounts.stepup_locked_manager",
    _(
        "%(person)s entered a wrong password or code too often (project %(project)s): their signing "
        "and other confirmations are locked until %(until)s."
    ),
).code
