"""Factories of the golive app: a live project, its operation problems and on-site visits."""

from __future__ import annotations

import datetime as dt

import factory

from golive.enums import ProblemStatus, Severity, SupportMode
from golive.models import OperationProblem, SupportVisit
from projects.enums import Phase
from projects.models import Project
from projects.tests.factories import ProjectFactory

WENT_LIVE = dt.date(2026, 10, 19)


def live_project(**kwargs: object) -> Project:
    """A project in closing that went live on ``WENT_LIVE`` (set directly: the FSM field is protected)."""
    project = ProjectFactory(**kwargs)
    Project.objects.filter(pk=project.pk).update(phase=Phase.CLOSING, golive_on=WENT_LIVE)
    project.refresh_from_db()
    return project


class OperationProblemFactory(factory.django.DjangoModelFactory):
    """An open problem reported by the customer lead; pass ``status=`` for a later one."""

    class Meta:
        model = OperationProblem

    project = factory.LazyFunction(live_project)
    number = factory.Sequence(lambda n: n + 1)
    description = factory.Sequence(lambda n: f"归档检索偶发超时 {n}")
    severity = Severity.MAJOR
    support_mode = SupportMode.REMOTE
    reported_by = factory.LazyAttribute(lambda p: p.project.customer_lead)
    status = ProblemStatus.OPEN


class SupportVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportVisit

    project = factory.LazyFunction(live_project)
    starts_on = WENT_LIVE + dt.timedelta(days=1)
    ends_on = WENT_LIVE + dt.timedelta(days=3)
    consultant = factory.LazyAttribute(lambda v: v.project.vendor_pm)
    notes = "现场保障"
