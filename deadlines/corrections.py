"""An admin extends or corrects a deadline by hand, with a recorded reason (SPEC §5).

Kept apart from the calendar engine: a corrected deadline is no longer the result of counting,
so later calendar changes leave its date alone; its explanation says who moved it and why, and
both sides are told, as for any moved deadline.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.people import display_name
from notifications.services import in_each_language, notification_create

from .calendar import end_of_day, local_date
from .enums import DeadlineStatus
from .models import Deadline, DeadlineChange
from .verbs import DEADLINE_MOVED

CORRECTION_KEY = "admin_correction"


@transaction.atomic
def deadline_correct(*, deadline: Deadline, due_on: date, reason: str, by: AbstractBaseUser) -> DeadlineChange:
    """Move an open deadline to the end of ``due_on`` (24:00 Asia/Shanghai), for the reason given."""
    if not (by.is_active and by.is_superuser):
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason: both sides see it in the deadline's explanation.")})
    deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
    if deadline.status != DeadlineStatus.OPEN:
        raise ValidationError(_("Only an open deadline can be extended or corrected."))
    new_due = end_of_day(due_on)
    if new_due <= deadline.started_at:
        raise ValidationError({"due_on": _("The new due date must be after the clock started.")})
    if new_due == deadline.due_at:
        raise ValidationError({"due_on": _("The deadline is already due on that day.")})
    old_due = deadline.due_at
    name = display_name(by)
    deadline.basis = {
        **deadline.basis,
        CORRECTION_KEY: {"due": due_on.isoformat(), "reason": reason, "by": name, "at": timezone.now().isoformat()},
    }
    deadline.due_at = new_due
    if deadline.remind_at is not None and deadline.remind_at >= new_due:
        deadline.remind_at = new_due - timedelta(days=1)
    if deadline.remind_at is not None and deadline.remind_at > timezone.now():
        deadline.reminder_sent_at = None
    deadline.save(update_fields=["basis", "due_at", "remind_at", "reminder_sent_at"])
    change = DeadlineChange.objects.create(
        deadline=deadline,
        old_due_at=old_due,
        new_due_at=new_due,
        old_provisional=deadline.provisional,
        new_provisional=deadline.provisional,
        reason=(_("Corrected by %(name)s: %(reason)s") % {"name": name, "reason": reason})[:300],
    )
    get_url = getattr(deadline.target, "get_absolute_url", None)
    notification_create(
        recipients=deadline.recipients.all(),
        verb=DEADLINE_MOVED.code,
        target=deadline.target,
        url=get_url() if callable(get_url) else "",
        context={
            "rule": in_each_language(deadline.get_rule_display),
            "target": in_each_language(lambda: str(deadline.target or "")),
            "due": due_on.isoformat(),
            "old_due": local_date(old_due - timedelta(microseconds=1)).isoformat(),
        },
    )
    return change
