from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.tests.factories import CustomerUserFactory, OrganizationFactory, VendorUserFactory
from support.enums import RequestState, SupportMode, SupportRoleKind
from support.models import (
    Deviation,
    EffortAccount,
    Escalation,
    InternalNote,
    SupportRequest,
    SupportRole,
    WeeklyReport,
    WeeklyReportEntry,
)
from support.titles import TitleParts


class SupportRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SupportRole
        django_get_or_create = ("user", "role")

    user = factory.SubFactory(VendorUserFactory)
    role = SupportRoleKind.ENGINEER


def person_with_role(role: str, **kwargs):
    """A vendor person holding ``role`` (more roles: add SupportRoleFactory rows)."""
    user = VendorUserFactory(**kwargs)
    SupportRoleFactory(user=user, role=role)
    return user


def _title(request: SupportRequest) -> str:
    day = request.request_date or timezone.localdate()
    return TitleParts.build(customer=request.customer, project=request.project, sales=request.sales, day=day).title


class SupportRequestFactory(factory.django.DjangoModelFactory):
    """A filed non-project request; pass ``state=``, ``engineer=``, ``project=`` for other stages."""

    class Meta:
        model = SupportRequest

    customer = factory.SubFactory(OrganizationFactory)
    project = None
    sales = factory.LazyFunction(lambda: person_with_role(SupportRoleKind.SALES))
    customer_contact = factory.LazyAttribute(lambda r: CustomerUserFactory(profile__organization=r.customer))
    mode = SupportMode.ON_SITE
    description = factory.Sequence(lambda n: f"邮件网关第{n}次故障排查")
    request_date = factory.LazyFunction(timezone.localdate)
    filed_at = factory.LazyFunction(timezone.now)
    title = factory.LazyAttribute(_title)
    state = RequestState.FILED


class DeviationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deviation

    request = factory.SubFactory(SupportRequestFactory)
    kind = "effort"
    description = "现场发现需要额外两天"
    reported_by = factory.LazyAttribute(lambda d: d.request.engineer or d.request.sales)


class InternalNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InternalNote

    request = factory.SubFactory(SupportRequestFactory)
    author = factory.LazyAttribute(lambda n: n.request.sales)
    text = factory.Sequence(lambda n: f"内部备注{n}：客户付款周期较长")


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation

    request = factory.SubFactory(SupportRequestFactory)
    path = "sales"
    subject = "工作量争议"
    description = "客户认为工作未完成"
    raised_by = factory.LazyAttribute(lambda e: e.request.sales)


class EffortAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EffortAccount

    request = factory.SubFactory(SupportRequestFactory)
    engineer = factory.LazyFunction(lambda: person_with_role(SupportRoleKind.ENGINEER))
    estimated_hours = Decimal("16.0")
    accounted_hours = None
    set_by = factory.LazyFunction(lambda: person_with_role(SupportRoleKind.TECHNICAL_DIRECTOR))


class WeeklyReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyReport

    engineer = factory.LazyFunction(lambda: person_with_role(SupportRoleKind.ENGINEER))
    week_start = datetime.date(2026, 9, 28)
    summary = "本周完成两次现场支持"


class WeeklyReportEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WeeklyReportEntry

    report = factory.SubFactory(WeeklyReportFactory)
    request = factory.LazyAttribute(lambda e: SupportRequestFactory(engineer=e.report.engineer))
    work_date = factory.LazyAttribute(lambda e: e.report.week_start)
    work_done = "排查邮件网关队列堆积"
    hours = Decimal("4.0")
