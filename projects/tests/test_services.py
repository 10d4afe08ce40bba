"""Project, team, division of labour and monitoring services."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Invitation
from accounts.tests.factories import (
    AdminUserFactory,
    CustomerUserFactory,
    OrganizationFactory,
    VendorUserFactory,
    make_vendor_manager,
)
from notifications.models import Notification
from projects.enums import ChecklistStatus, MemberRole, Phase, Service, Share, Side
from projects.models import Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem
from projects.selectors import status_report_list
from projects.services import (
    project_create,
    project_member_add,
    project_member_remove,
    project_update,
    responsibility_update,
    risk_create,
    risk_escalate_overdue,
    status_report_create,
    status_report_publish,
    status_report_update,
    work_item_create,
)

from .factories import ProjectFactory, ProjectMemberFactory

pytestmark = pytest.mark.django_db


def _contract(**overrides: object) -> dict:
    values = {
        "code": "HX-2026-101",
        "name": "江南制造邮件系统升级项目",
        "customer": OrganizationFactory(name="江南制造集团股份有限公司"),
        "contract_number": "HT-2026-0315",
        "contract_date": datetime.date(2026, 3, 15),
        "services": [Service.UPGRADE, Service.DATA_MIGRATION],
        "golive_applies": True,
        "golive_basis": "major_upgrade",
        "planned_start": datetime.date(2026, 4, 1),
        "planned_end": datetime.date(2026, 8, 31),
    }
    values.update(overrides)
    return values


def test_project_create_sets_up_defaults_and_the_pm_in_the_team():
    pm = VendorUserFactory(first_name="王建国")

    project = project_create(user=pm, vendor_pm=pm, **_contract())

    assert project.phase == Phase.INITIATION
    assert project.created_by == pm
    assert list(project.work_items.values_list("kind", "vendor_share", "customer_share")) == [
        ("install", Share.RESPONSIBLE, Share.ASSISTING),
        ("system_test", Share.RESPONSIBLE, Share.RESPONSIBLE),
        ("data_migration", Share.RESPONSIBLE, Share.RESPONSIBLE),
        ("golive", Share.RESPONSIBLE, Share.RESPONSIBLE),
        ("delivery_documents", Share.RESPONSIBLE, Share.ASSISTING),
    ]
    assert list(project.responsibilities.values_list("side", flat=True)) == [Side.VENDOR] * 4 + [Side.CUSTOMER] * 5
    assert list(project.members.values_list("user_id", "role", "side")) == [(pm.pk, "vendor_pm", "vendor")]


def test_project_create_by_a_customer_user_is_denied():
    customer_user = CustomerUserFactory()

    with pytest.raises(PermissionDenied):
        project_create(user=customer_user, vendor_pm=VendorUserFactory(), **_contract())

    assert Project.objects.count() == 0


def test_project_create_for_another_pm_needs_a_vendor_manager():
    staff, other = VendorUserFactory(), VendorUserFactory()

    with pytest.raises(PermissionDenied):
        project_create(user=staff, vendor_pm=other, **_contract())
    make_vendor_manager(staff)
    staff = type(staff).objects.get(pk=staff.pk)  # a new request loads the user afresh
    project = project_create(user=staff, vendor_pm=other, **_contract())

    assert project.vendor_pm == other


def test_project_create_refuses_a_customer_user_as_vendor_pm():
    admin = AdminUserFactory()

    with pytest.raises(ValidationError) as refused:
        project_create(user=admin, vendor_pm=CustomerUserFactory(), **_contract())

    assert refused.value.message_dict == {"vendor_pm": ["交付方项目经理必须是交付方员工。"]}
    assert Project.objects.count() == 0


def test_project_update_names_the_customer_lead_and_adds_them_to_the_team():
    project = ProjectFactory(customer_lead=None)
    lead = CustomerUserFactory(profile__organization=project.customer)

    project_update(
        project=project, user=project.vendor_pm, customer_lead=lead, kickoff_held_on=datetime.date(2026, 4, 2)
    )

    project.refresh_from_db()
    assert project.customer_lead == lead
    assert project.members.get(user=lead).role == MemberRole.CUSTOMER_PM


def test_project_update_refuses_a_lead_of_another_customer():
    project = ProjectFactory(customer_lead=None)

    with pytest.raises(ValidationError) as refused:
        project_update(project=project, user=project.vendor_pm, customer_lead=CustomerUserFactory())

    assert refused.value.message_dict == {"customer_lead": ["客户方项目负责人必须属于该客户。"]}
    project.refresh_from_db()
    assert project.customer_lead is None


def test_project_update_by_a_member_who_is_not_the_pm_is_denied():
    project = ProjectFactory(name="原名称")
    member = ProjectMemberFactory(project=project, role=MemberRole.DELIVERY_CONSULTANT)

    with pytest.raises(PermissionDenied):
        project_update(project=project, user=member.user, name="新名称")

    project.refresh_from_db()
    assert project.name == "原名称"


def test_member_add_new_person_creates_account_and_emails_invitation(django_capture_on_commit_callbacks):
    project = ProjectFactory(customer_lead=None, name="江南制造邮件系统升级项目")

    with django_capture_on_commit_callbacks(execute=True):
        member = project_member_add(
            project=project,
            actor=project.vendor_pm,
            role=MemberRole.CUSTOMER_PM,
            full_name="李静",
            email="li.jing@customer.example",
            position="信息中心主任",
            mobile="13900000002",
            make_customer_lead=True,
        )

    user = member.user
    assert (user.username, user.first_name, user.has_usable_password()) == ("li.jing@customer.example", "李静", False)
    assert user.profile.organization == project.customer
    assert (member.side, member.position, member.mobile, member.email) == (
        "customer",
        "信息中心主任",
        "13900000002",
        "li.jing@customer.example",
    )
    project.refresh_from_db()
    assert project.customer_lead == user
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["li.jing@customer.example"]
    assert message.subject == "[交付项目管理] 请设置您新账户的密码"
    token = re.search(r"http://127\.0\.0\.1:8000/accounts/invitation/([\w-]+)/", message.body).group(1)
    invitation = Invitation.objects.get(user=user)
    assert invitation.token_hash != token
    assert len(invitation.token_hash) == 64
    assert invitation.expires_at - invitation.sent_at == datetime.timedelta(days=7)
    # Invited people get the invitation, not a second "you were added" notification.
    assert Notification.objects.filter(recipient=user).count() == 0


def test_member_add_existing_person_notifies_them():
    project = ProjectFactory()
    consultant = VendorUserFactory(first_name="刘洋")

    member = project_member_add(
        project=project, actor=project.vendor_pm, role=MemberRole.DELIVERY_CONSULTANT, user=consultant
    )

    assert (member.side, member.role) == ("vendor", "delivery_consultant")
    notification = Notification.objects.get(recipient=consultant)
    assert notification.message == f"{project.vendor_pm.first_name}将您加入了项目“{project}”"


def test_member_add_vendor_user_in_customer_role_is_refused():
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        project_member_add(
            project=project, actor=project.vendor_pm, role=MemberRole.CUSTOMER_TECH_LEAD, user=VendorUserFactory()
        )

    assert refused.value.message_dict == {"user": [f"客户方角色只能由该客户（{project.customer}）的人员担任。"]}
    assert project.members.count() == 2


def test_member_add_customer_of_another_organisation_is_refused():
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        project_member_add(
            project=project, actor=project.vendor_pm, role=MemberRole.CUSTOMER_MEMBER, user=CustomerUserFactory()
        )

    assert refused.value.message_dict == {"user": [f"客户方角色只能由该客户（{project.customer}）的人员担任。"]}
    assert project.members.count() == 2


def test_member_add_same_role_twice_is_refused():
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        project_member_add(project=project, actor=project.vendor_pm, role=MemberRole.VENDOR_PM, user=project.vendor_pm)

    assert refused.value.messages == ["该人员在本项目中已担任此角色。"]


def test_member_add_by_a_non_pm_is_denied_and_creates_nothing():
    project = ProjectFactory()
    member = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER)

    with pytest.raises(PermissionDenied):
        project_member_add(
            project=project, actor=member.user, role=MemberRole.CUSTOMER_MEMBER, full_name="张三", email="z@example.com"
        )

    assert project.members.count() == 3
    assert Invitation.objects.count() == 0


def test_member_remove_of_a_lead_is_refused():
    project = ProjectFactory()
    lead_member = project.members.get(user=project.customer_lead)

    with pytest.raises(ValidationError) as refused:
        project_member_remove(member=lead_member, actor=project.vendor_pm)

    assert refused.value.messages == [f"{lead_member.name}是项目负责人：请先指定其他负责人再移除。"]
    assert ProjectMember.objects.filter(pk=lead_member.pk).exists()


def test_member_remove_of_an_engineer():
    project = ProjectFactory()
    member = ProjectMemberFactory(project=project)

    project_member_remove(member=member, actor=project.vendor_pm)

    assert not ProjectMember.objects.filter(pk=member.pk).exists()


def test_work_item_create_appends_a_custom_item():
    project = ProjectFactory()

    item = work_item_create(
        project=project,
        actor=project.vendor_pm,
        name="邮件网关对接",
        vendor_share="responsible",
        customer_share="assisting",
    )

    assert (item.label, item.order) == ("邮件网关对接", 6)
    assert WorkItem.objects.filter(project=project).count() == 6


def test_responsibility_update_by_customer_lead_only_for_customer_items():
    project = ProjectFactory()
    customer_item = project.responsibilities.filter(side=Side.CUSTOMER).first()
    vendor_item = project.responsibilities.filter(side=Side.VENDOR).first()

    responsibility_update(
        item=customer_item,
        actor=project.customer_lead,
        status=ChecklistStatus.DONE,
        due_date=datetime.date(2026, 4, 10),
    )
    with pytest.raises(PermissionDenied):
        responsibility_update(item=vendor_item, actor=project.customer_lead, status=ChecklistStatus.DONE, due_date=None)

    assert ResponsibilityItem.objects.get(pk=customer_item.pk).status == ChecklistStatus.DONE
    assert ResponsibilityItem.objects.get(pk=vendor_item.pk).status == ChecklistStatus.OPEN


def test_risk_create_with_an_owner_outside_the_team_is_refused():
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        risk_create(
            project=project,
            actor=project.vendor_pm,
            description="存储到货延期",
            probability="high",
            impact="high",
            owner=VendorUserFactory(),
        )

    assert refused.value.message_dict == {"owner": ["负责人必须是项目组成员。"]}
    assert Risk.objects.count() == 0


def _draft_report(project, **overrides):
    data = {
        "project": project,
        "actor": project.vendor_pm,
        "period_start": datetime.date(2026, 5, 4),
        "period_end": datetime.date(2026, 5, 8),
        "rag": "amber",
        "milestone_progress": [{"name": "环境准备", "percent": 100}, {"name": "部署与迁移", "percent": 35}],
        "progress_summary": "完成邮件服务器部署。",
        "known_risks": "数据迁移窗口待确认",
    }
    return status_report_create(**{**data, **overrides})


def test_status_report_draft_tells_nobody_until_published(django_capture_on_commit_callbacks):
    project = ProjectFactory()
    tech_lead = ProjectMemberFactory(project=project, role=MemberRole.CUSTOMER_TECH_LEAD).user
    ProjectMemberFactory(project=project, role=MemberRole.ENGINEER)

    with django_capture_on_commit_callbacks(execute=True):
        report = _draft_report(project)
    assert (report.status, Notification.objects.count(), len(mail.outbox)) == ("draft", 0, 0)
    assert status_report_list(project=project, user=project.customer_lead).count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        status_report_publish(report=report, actor=project.vendor_pm)

    report.refresh_from_db()
    assert (report.status, report.rag, report.milestone_progress[1]) == (
        "published",
        "amber",
        {"name": "部署与迁移", "percent": 35},
    )
    recipients = set(
        Notification.objects.filter(verb="projects.status_report_added").values_list("recipient", flat=True)
    )
    assert recipients == {project.customer_lead.pk, tech_lead.pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted([project.customer_lead.email, tech_lead.email])
    assert list(status_report_list(project=project, user=project.customer_lead)) == [report]


@pytest.mark.parametrize(
    ("overrides", "errors"),
    [
        (
            {"period_start": datetime.date(2030, 1, 7), "period_end": datetime.date(2030, 1, 11)},
            {"period_start": ["报告周期必须在项目计划日期 2026-04-01 – 2026-09-30 之内。"]},
        ),
        (
            {"period_start": datetime.date(2026, 5, 8), "period_end": datetime.date(2026, 5, 4)},
            {"period_end": ["报告周期的结束日期不能早于开始日期。"]},
        ),
        (
            {"milestone_progress": [{"name": "环境准备", "percent": 120}]},
            {"milestone_progress": ["完成百分比须为 0 到 100 之间的整数。"]},
        ),
    ],
)
def test_status_report_with_a_bad_period_or_percent_is_refused(overrides, errors):
    project = ProjectFactory()

    with pytest.raises(ValidationError) as refused:
        _draft_report(project, **overrides)

    assert refused.value.message_dict == errors
    assert StatusReport.objects.count() == 0


def test_status_report_is_edited_until_published_then_frozen():
    project = ProjectFactory()
    report = _draft_report(project)

    status_report_update(report=report, actor=project.vendor_pm, rag="red", progress_summary="存储未到货。")
    status_report_publish(report=report, actor=project.vendor_pm)
    with pytest.raises(ValidationError) as refused:
        status_report_update(report=report, actor=project.vendor_pm, rag="green")
    with pytest.raises(ValidationError) as again:
        status_report_publish(report=report, actor=project.vendor_pm)

    report.refresh_from_db()
    assert (report.rag, report.progress_summary) == ("red", "存储未到货。")
    assert refused.value.messages == ["该状态报告已发布，不能再修改。"]
    assert again.value.messages == ["该状态报告已经发布。"]


def test_status_report_by_the_customer_lead_is_denied_and_changes_nothing():
    project = ProjectFactory()
    report = _draft_report(project)

    with pytest.raises(PermissionDenied):
        status_report_publish(report=report, actor=project.customer_lead)
    with pytest.raises(PermissionDenied):
        _draft_report(project, actor=project.customer_lead)

    assert list(StatusReport.objects.values_list("status", flat=True)) == ["draft"]


def test_risk_score_is_probability_times_impact():
    project = ProjectFactory()

    risk = risk_create(
        project=project, actor=project.vendor_pm, description="存储到货延迟", probability="high", impact="medium"
    )

    assert risk.score == 6


def test_overdue_risk_is_escalated_once_to_the_pm_and_owner(django_capture_on_commit_callbacks):
    project = ProjectFactory()
    owner = ProjectMemberFactory(project=project, role=MemberRole.ENGINEER).user
    risk_create(
        project=project,
        actor=project.vendor_pm,
        description="存储到货延迟",
        probability="high",
        impact="high",
        owner=owner,
        response_due=datetime.date(2026, 5, 8),
    )

    assert risk_escalate_overdue(today=datetime.date(2026, 5, 8)) == 0  # due today: not yet overdue
    first = risk_escalate_overdue(today=datetime.date(2026, 5, 9))
    second = risk_escalate_overdue(today=datetime.date(2026, 5, 10))

    told = Notification.objects.filter(verb="projects.risk_escalated")
    assert (first, second) == (1, 0)
    assert {n.recipient_id for n in told} == {project.vendor_pm.pk, owner.pk}
    assert told[0].message == f"项目 {project} 的风险已升级：“存储到货延迟”（评分 9）的应对措施应于 2026-05-08 前落实"
