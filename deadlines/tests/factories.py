from __future__ import annotations

from datetime import datetime

import factory
from django.contrib.contenttypes.models import ContentType

from accounts.models import Organization
from accounts.tests.factories import OrganizationFactory
from deadlines.calendar import TZ
from deadlines.enums import Clock, DeadlineStatus, RuleCode
from deadlines.models import Deadline

# Monday 2026-09-28, a change letter received: due at the end of Saturday 2026-10-10 (调休).
WORKED_START = datetime(2026, 9, 28, 10, 0, tzinfo=TZ)
WORKED_DUE = datetime(2026, 10, 11, 0, 0, tzinfo=TZ)
WORKED_REMIND = datetime(2026, 10, 9, 0, 0, tzinfo=TZ)


class DeadlineFactory(factory.django.DjangoModelFactory):
    """A stored deadline with given times (tests of the sweep); real code opens them with deadline_open()."""

    class Meta:
        model = Deadline

    target_type = factory.LazyFunction(lambda: ContentType.objects.get_for_model(Organization))
    target_id = factory.LazyFunction(lambda: OrganizationFactory().pk)
    rule = RuleCode.CHANGE_REPLY
    clock = Clock.WORKING_DAYS
    started_at = WORKED_START
    working_days = 5
    due_at = WORKED_DUE
    remind_at = WORKED_REMIND
    provisional = False
    status = DeadlineStatus.OPEN
