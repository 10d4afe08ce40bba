from __future__ import annotations

import datetime

import factory

from accounts.tests.factories import CustomerUserFactory, OrganizationFactory, VendorUserFactory
from projects.enums import MemberRole, RiskLevel, RiskStatus, Service, role_side
from projects.models import Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem
from projects.services import responsibility_defaults_build, work_item_defaults_build


class ProjectFactory(factory.django.DjangoModelFactory):
    """A project in initiation with the manual's default work items and checklist.

    ``vendor_pm`` and ``customer_lead`` are members in their roles, as the create service makes them.
    """

    class Meta:
        model = Project
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"HX-2026-{n:03d}")
    name = factory.Sequence(lambda n: f"邮件系统升级项目{n}")
    customer = factory.SubFactory(OrganizationFactory)
    contract_number = factory.Sequence(lambda n: f"HT-2026-{n:04d}")
    contract_date = datetime.date(2026, 3, 2)
    services = factory.LazyFunction(lambda: [Service.DEPLOYMENT, Service.DATA_MIGRATION])
    golive_applies = True
    golive_basis = "new_system"
    planned_start = datetime.date(2026, 4, 1)
    planned_end = datetime.date(2026, 9, 30)
    vendor_pm = factory.SubFactory(VendorUserFactory)
    customer_lead = factory.LazyAttribute(lambda p: CustomerUserFactory(profile__organization=p.customer))

    @factory.post_generation
    def defaults(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        WorkItem.objects.bulk_create(work_item_defaults_build(project=self))
        ResponsibilityItem.objects.bulk_create(responsibility_defaults_build(project=self))
        if self.vendor_pm is not None:
            ProjectMemberFactory(project=self, user=self.vendor_pm, role=MemberRole.VENDOR_PM)
        if self.customer_lead is not None:
            ProjectMemberFactory(project=self, user=self.customer_lead, role=MemberRole.CUSTOMER_PM)


class ProjectMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectMember

    project = factory.SubFactory(ProjectFactory)
    role = MemberRole.ENGINEER
    side = factory.LazyAttribute(lambda m: role_side(m.role))
    user = factory.LazyAttribute(
        lambda m: (
            CustomerUserFactory(profile__organization=m.project.customer)
            if role_side(m.role) == "customer"
            else VendorUserFactory()
        )
    )
    position = "工程师"
    mobile = factory.Sequence(lambda n: f"139{n:08d}")
    email = factory.LazyAttribute(lambda m: m.user.email)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    project = factory.SubFactory(ProjectFactory)
    description = factory.Sequence(lambda n: f"风险{n}：客户机房网络改造可能延期")
    probability = RiskLevel.MEDIUM
    impact = RiskLevel.HIGH
    owner = factory.LazyAttribute(lambda r: r.project.vendor_pm)
    response = "提前与客户确认割接窗口"
    status = RiskStatus.OPEN


class StatusReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StatusReport

    project = factory.SubFactory(ProjectFactory)
    report_date = datetime.date(2026, 5, 8)
    period_start = datetime.date(2026, 5, 1)
    period_end = datetime.date(2026, 5, 8)
    status = "published"
    progress_summary = factory.Sequence(lambda n: f"第{n}周：完成邮件服务器安装与联调。")
    known_risks = "数据迁移窗口待确认"
    author = factory.LazyAttribute(lambda r: r.project.vendor_pm)


def project_with_full_team(**kwargs: object) -> Project:
    """A project whose initiation gate is met except for deliverables (and the kick-off, unless given)."""
    kwargs.setdefault("contact_directory_required", False)
    project = ProjectFactory(**kwargs)
    for role in (
        MemberRole.CUSTOMER_TECH_LEAD,
        MemberRole.PRESALES,
        MemberRole.DELIVERY_CONSULTANT,
        MemberRole.SALES_MANAGER,
    ):
        ProjectMemberFactory(project=project, role=role)
    return project
