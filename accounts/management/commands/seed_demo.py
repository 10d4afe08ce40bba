"""Demo data for a first look at the product: both sides' people and three projects in different phases.

Idempotent: running it again keeps existing data and resets the demo passwords. A demo project
is set up (team, risks, reports, phase) only when its code does not exist yet.

The customer lead ``lead`` (李静) is in the team of the first project only, and the vendor PM
``pm`` (王建国) runs the first and third but not the second: logging in as either shows the
access rules at work.
"""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.enums import OrganizationKind
from accounts.services import organization_get_or_create, user_ensure
from documents.demo import demo_deliverables
from projects.enums import ChecklistStatus, MemberRole, RiskLevel, Service, Side
from projects.models import Project
from projects.services import (
    project_create,
    project_member_add,
    project_phase_advance,
    responsibility_update,
    risk_create,
    status_report_create,
    status_report_publish,
)
from support.demo import demo_support_roles

DEMO_PASSWORD = "Demo-2026!"

# username, full name, e-mail, position, mobile, organisation key, role description
DEMO_USERS = [
    ("admin", "系统管理员", "admin@vendor.example", "系统管理员", "", "vendor", "admin"),
    ("pm", "王建国", "wang.jianguo@vendor.example", "项目经理", "13800000001", "vendor", "vendor PM"),
    ("lead", "李静", "li.jing@customer.example", "信息中心主任", "13900000002", "jiangnan", "customer lead"),
    ("pm2", "赵敏", "zhao.min@vendor.example", "高级项目经理", "13800000003", "vendor", "vendor PM"),
    ("presales", "陈晓峰", "chen.xiaofeng@vendor.example", "售前顾问", "13800000004", "vendor", "presales"),
    ("consultant", "刘洋", "liu.yang@vendor.example", "交付顾问", "13800000005", "vendor", "delivery consultant"),
    ("sales", "张伟", "zhang.wei@vendor.example", "销售经理", "13800000006", "vendor", "sales manager"),
    ("engineer", "孙磊", "sun.lei@vendor.example", "实施工程师", "13800000007", "vendor", "engineer"),
    ("techdir", "黄海涛", "huang.haitao@vendor.example", "技术总监", "13800000012", "vendor", "technical director"),
    ("salesdir", "马丽", "ma.li@vendor.example", "销售总监", "13800000013", "vendor", "sales director"),
    ("jn_tech", "周强", "zhou.qiang@customer.example", "系统管理员", "13900000008", "jiangnan", "customer tech lead"),
    ("dh_lead", "吴芳", "wu.fang@donghai-bank.example", "科技部项目经理", "13900000009", "donghai", "customer lead"),
    ("dh_tech", "郑浩", "zheng.hao@donghai-bank.example", "运维组组长", "13900000010", "donghai", "customer tech"),
    ("xh_lead", "何婷", "he.ting@xihu-univ.example", "网络中心副主任", "13900000011", "xihu", "customer lead"),
]

ORGANIZATIONS = {
    "vendor": ("华信交付科技有限公司", "华信交付", OrganizationKind.VENDOR, "北京市海淀区中关村大街 1 号"),
    "jiangnan": ("江南制造集团股份有限公司", "江南制造", OrganizationKind.CUSTOMER, "江苏省苏州市工业园区星湖街 88 号"),
    "donghai": ("东海商业银行股份有限公司", "东海银行", OrganizationKind.CUSTOMER, "上海市浦东新区陆家嘴环路 1000 号"),
    "xihu": ("浙江西湖大学", "西湖大学", OrganizationKind.CUSTOMER, "浙江省杭州市西湖区石龙山街 18 号"),
}


class Command(BaseCommand):
    help = "Load demo organisations, users and three projects (prints the logins)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        organizations = {
            key: organization_get_or_create(name=name, short_name=short, kind=kind, address=address)
            for key, (name, short, kind, address) in ORGANIZATIONS.items()
        }
        users = {}
        for username, full_name, email, position, mobile, org_key, _role in DEMO_USERS:
            users[username] = user_ensure(
                username=username,
                email=email,
                full_name=full_name,
                organization=organizations[org_key],
                password=DEMO_PASSWORD,
                position=position,
                mobile=mobile,
                is_superuser=username == "admin",
                vendor_manager=username == "admin",
            )
        demo_support_roles(users, admin=users["admin"])
        today = timezone.localdate()
        created = []
        for code, build in DEMO_PROJECTS:
            if not Project.objects.filter(code=code).exists():
                build(code, users, organizations, today)
                created.append(code)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, full_name, _email, _position, _mobile, _org, role in DEMO_USERS:
            self.stdout.write(f"  {username:<11} {full_name}  ({role})")
        self.stdout.write(f"Projects created this time: {', '.join(created) or 'none (already there)'}")


def _team(project: Project, users: dict, pm, roles: list[tuple[str, str]]) -> None:
    for username, role in roles:
        project_member_add(project=project, actor=pm, role=role, user=users[username], notify=False)


def _jiangnan_mail_upgrade(code: str, users: dict, organizations: dict, today: datetime.date) -> None:
    """In execution: a full team, open risks, status reports, a forced gate on paper confirmations."""
    pm, admin = users["pm"], users["admin"]
    project = project_create(
        user=admin,
        code=code,
        name="江南制造集团邮件系统升级项目",
        customer=organizations["jiangnan"],
        contract_number="JN-IT-2026-017",
        contract_date=today - datetime.timedelta(days=75),
        services=[Service.UPGRADE, Service.DATA_MIGRATION, Service.SYSTEM_TESTING, Service.TRAINING],
        golive_applies=True,
        golive_basis="major_upgrade",
        golive_note="由 V5 升级至 V7，属大版本升级",
        planned_start=today - datetime.timedelta(days=60),
        planned_end=today + datetime.timedelta(days=45),
        vendor_pm=pm,
        kickoff_held_on=today - datetime.timedelta(days=55),
        contact_directory_required=False,
    )
    _team(
        project,
        users,
        pm,
        [
            ("presales", MemberRole.PRESALES),
            ("consultant", MemberRole.DELIVERY_CONSULTANT),
            ("sales", MemberRole.SALES_MANAGER),
            ("engineer", MemberRole.ENGINEER),
            ("jn_tech", MemberRole.CUSTOMER_TECH_LEAD),
        ],
    )
    project_member_add(
        project=project,
        actor=pm,
        role=MemberRole.CUSTOMER_PM,
        user=users["lead"],
        make_customer_lead=True,
        notify=False,
    )
    project_phase_advance(project=project, user=pm, reason="启动会已于客户现场召开，会议纪要已归档")
    demo_deliverables(project=project, pm=pm, today=today)
    project_phase_advance(project=project, user=pm, reason="需求确认单与项目计划已由客户方负责人确认")
    _jiangnan_risks(project, users)
    _jiangnan_status_reports(project, pm, today)
    _jiangnan_responsibilities(project, pm, today)


def _jiangnan_risks(project: Project, users: dict) -> None:
    """Two open risks: the 4 TB migration window, and the storage array not yet delivered."""
    pm = users["pm"]
    risk_create(
        project=project,
        actor=pm,
        description="历史邮件数据量约 4 TB，迁移窗口可能不足",
        probability=RiskLevel.MEDIUM,
        impact=RiskLevel.HIGH,
        owner=pm,
        response="分批迁移，先迁移近两年数据；周末追加迁移窗口",
    )
    risk_create(
        project=project,
        actor=pm,
        description="客户新存储阵列到货时间未确定",
        probability=RiskLevel.HIGH,
        impact=RiskLevel.MEDIUM,
        owner=users["jn_tech"],
        response="每周与客户确认到货进度，必要时先使用现有存储",
    )


def _jiangnan_status_reports(project: Project, pm, today: datetime.date) -> None:
    """Two published weekly reports, green then amber."""
    for weeks_ago, summary, risks, progress in (
        (2, "完成测试环境部署与联调；生产环境服务器已上架。", "新存储阵列到货时间未确定。", (100, 40, 0)),
        (1, "完成第一批（近半年）邮件数据迁移演练，耗时 6 小时。", "历史数据迁移窗口可能不足。", (100, 60, 0)),
    ):
        report = status_report_create(
            project=project,
            actor=pm,
            period_start=today - datetime.timedelta(days=7 * weeks_ago + 6),
            period_end=today - datetime.timedelta(days=7 * weeks_ago),
            rag="amber" if weeks_ago == 1 else "green",
            milestone_progress=[
                {"name": name, "percent": percent}
                for name, percent in zip(("环境准备", "部署与迁移", "上线切换"), progress, strict=True)
            ],
            progress_summary=summary,
            known_risks=risks,
        )
        status_report_publish(report=report, actor=pm)


def _jiangnan_responsibilities(project: Project, pm, today: datetime.date) -> None:
    """Two customer duties done, one customer duty overdue in progress, one vendor duty under way."""
    for item in project.responsibilities.filter(side=Side.CUSTOMER)[:2]:
        responsibility_update(
            item=item, actor=pm, status=ChecklistStatus.DONE, due_date=today - datetime.timedelta(days=40)
        )
    for item in project.responsibilities.filter(side=Side.CUSTOMER, status=ChecklistStatus.OPEN)[:1]:
        responsibility_update(
            item=item, actor=pm, status=ChecklistStatus.IN_PROGRESS, due_date=today - datetime.timedelta(days=3)
        )
    for item in project.responsibilities.filter(side=Side.VENDOR)[:1]:
        responsibility_update(
            item=item, actor=pm, status=ChecklistStatus.IN_PROGRESS, due_date=today + datetime.timedelta(days=10)
        )


def _donghai_new_mail_system(code: str, users: dict, organizations: dict, today: datetime.date) -> None:
    """In planning, run by another PM: neither ``pm`` nor ``lead`` can see it."""
    pm = users["pm2"]
    project = project_create(
        user=users["admin"],
        code=code,
        name="东海银行新一代邮件系统建设项目",
        customer=organizations["donghai"],
        contract_number="DHB-2026-0098",
        contract_date=today - datetime.timedelta(days=30),
        services=[Service.DEPLOYMENT, Service.INTEGRATION, Service.DOCUMENTATION, Service.GOLIVE_CUTOVER],
        golive_applies=True,
        golive_basis="new_system",
        planned_start=today - datetime.timedelta(days=20),
        planned_end=today + datetime.timedelta(days=150),
        vendor_pm=pm,
        kickoff_held_on=today - datetime.timedelta(days=15),
        contact_directory_required=False,
    )
    _team(
        project,
        users,
        pm,
        [
            ("presales", MemberRole.PRESALES),
            ("consultant", MemberRole.DELIVERY_CONSULTANT),
            ("sales", MemberRole.SALES_MANAGER),
            ("dh_tech", MemberRole.CUSTOMER_TECH_LEAD),
        ],
    )
    project_member_add(
        project=project,
        actor=pm,
        role=MemberRole.CUSTOMER_PM,
        user=users["dh_lead"],
        make_customer_lead=True,
        notify=False,
    )
    project_phase_advance(project=project, user=pm, reason="启动会纪要已由双方确认")
    risk_create(
        project=project,
        actor=pm,
        description="与行内统一身份认证平台对接的接口文档尚未提供",
        probability=RiskLevel.MEDIUM,
        impact=RiskLevel.MEDIUM,
        owner=users["dh_tech"],
        response="已发函请客户协调第三方厂商，约定两周内提供",
    )


def _xihu_archive_migration(code: str, users: dict, organizations: dict, today: datetime.date) -> None:
    """In initiation with an incomplete team: the gate shows what is missing."""
    pm = users["pm"]
    project = project_create(
        user=pm,
        code=code,
        name="西湖大学邮件归档与数据迁移项目",
        customer=organizations["xihu"],
        contract_number="XHU-CG-2026-031",
        contract_date=today - datetime.timedelta(days=5),
        services=[Service.DATA_MIGRATION, Service.OTHER],
        services_other="归档策略咨询",
        golive_applies=False,
        golive_basis="contract",
        golive_note="合同约定不含上线，以终验为准",
        planned_start=today + datetime.timedelta(days=7),
        planned_end=today + datetime.timedelta(days=90),
        vendor_pm=pm,
    )
    _team(project, users, pm, [("sales", MemberRole.SALES_MANAGER)])
    project_member_add(
        project=project,
        actor=pm,
        role=MemberRole.CUSTOMER_PM,
        user=users["xh_lead"],
        make_customer_lead=True,
        notify=False,
    )
    for item in project.responsibilities.filter(side=Side.CUSTOMER)[:1]:
        responsibility_update(
            item=item, actor=pm, status=ChecklistStatus.OPEN, due_date=today + datetime.timedelta(days=5)
        )


DEMO_PROJECTS = [
    ("HX-2026-001", _jiangnan_mail_upgrade),
    ("HX-2026-002", _donghai_new_mail_system),
    ("HX-2026-003", _xihu_archive_migration),
]
