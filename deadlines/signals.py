"""Cache invalidation only: any write to the calendar tables, even one that bypasses the services
(a shell, a fixture), drops the in-process calendar snapshot. Re-computing deadlines is the
services' job, never a signal's."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .calendar import calendar_invalidate
from .models import CalendarDay, CalendarYear


@receiver([post_save, post_delete], sender=CalendarDay, dispatch_uid="deadlines_calendarday_changed")
@receiver([post_save, post_delete], sender=CalendarYear, dispatch_uid="deadlines_calendaryear_changed")
def calendar_row_changed(sender: type, **kwargs: object) -> None:
    calendar_invalidate()
    transaction.on_commit(calendar_invalidate)
