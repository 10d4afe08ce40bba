"""Bulk data for measurements: ``--projects N`` projects with full teams, risks, work items, reports.

Fast rather than faithful: rows are bulk-inserted (no services, no notifications, no e-mail), with
the same shapes the services create. Each run adds N more projects (codes continue). People are
shared: 40 vendor staff and one customer organisation (with 3 people) per 5 projects. The first
vendor user, ``bench_v000``, is the vendor PM of one project in 20 and a vendor manager.
"""

from __future__ import annotations

import datetime
import itertools

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.enums import VENDOR_MANAGERS_GROUP, OrganizationKind
from accounts.models import Organization, Profile
from projects.enums import (
    PHASE_ORDER,
    ChecklistStatus,
    MemberRole,
    ReportStatus,
    RiskLevel,
    RiskStatus,
    Service,
    role_side,
)
from projects.models import Project, ProjectMember, ResponsibilityItem, Risk, StatusReport, WorkItem
from projects.services import responsibility_defaults_build, work_item_defaults_build

User = get_user_model()

VENDOR_STAFF = 40
PROJECTS_PER_CUSTOMER = 5
BATCH = 500


class Command(BaseCommand):
    help = "Create N projects with members, risks and work items for measurements."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--projects", type=int, required=True, help="how many projects to add")

    @transaction.atomic
    def handle(self, *args: object, projects: int, **options: object) -> None:
        people = _People()
        vendor = people.organization("华信交付科技有限公司", OrganizationKind.VENDOR)
        staff = people.users([f"bench_v{i:03d}" for i in range(VENDOR_STAFF)], vendor)
        group, _created = Group.objects.get_or_create(name=VENDOR_MANAGERS_GROUP)
        staff[0].groups.add(group)
        start = Project.objects.filter(code__startswith="BENCH-").count()
        built = [_project(start + i, staff, people) for i in range(projects)]
        Project.objects.bulk_create([project for project, _team in built], batch_size=BATCH)
        members = [member for _project_, team in built for member in team]
        ProjectMember.objects.bulk_create(members, batch_size=BATCH)
        _bulk_children([project for project, _team in built])
        self.stdout.write(self.style.SUCCESS(f"Created {projects} projects ({len(members)} members)."))


def _project(number: int, staff: list, people: _People) -> tuple[Project, list[ProjectMember]]:
    today = timezone.localdate()
    customer_index = number // PROJECTS_PER_CUSTOMER
    customer = people.organization(f"基准客户{customer_index:04d}有限公司", OrganizationKind.CUSTOMER)
    customer_people = people.users([f"bench_c{customer_index:04d}_{i}" for i in range(3)], customer)
    # bench_v000 leads one project in 20; the others are spread over the rest of the staff.
    pm = staff[0] if number % 20 == 0 else staff[1 + number % (VENDOR_STAFF - 1)]
    project = Project(
        code=f"BENCH-{number:05d}",
        name=f"基准测试项目{number:05d}",
        customer=customer,
        contract_number=f"BM-{number:05d}",
        contract_date=today - datetime.timedelta(days=90),
        services=[Service.DEPLOYMENT, Service.DATA_MIGRATION],
        golive_applies=True,
        golive_basis="new_system",
        planned_start=today - datetime.timedelta(days=60 - number % 30),
        planned_end=today + datetime.timedelta(days=number % 60),
        vendor_pm=pm,
        customer_lead=customer_people[0],
        kickoff_held_on=today - datetime.timedelta(days=50),
        phase=PHASE_ORDER[number % len(PHASE_ORDER)],
    )
    vendor_team = itertools.islice(itertools.cycle(staff[1:]), number, number + 4)
    roles = [
        (pm, MemberRole.VENDOR_PM),
        *zip(
            vendor_team,
            [MemberRole.PRESALES, MemberRole.DELIVERY_CONSULTANT, MemberRole.SALES_MANAGER, MemberRole.ENGINEER],
            strict=True,
        ),
        (customer_people[0], MemberRole.CUSTOMER_PM),
        (customer_people[1], MemberRole.CUSTOMER_TECH_LEAD),
        (customer_people[2], MemberRole.CUSTOMER_MEMBER),
    ]
    team = [
        ProjectMember(
            project=project,
            user=user,
            role=role,
            side=role_side(role),
            position=user.profile.position,
            mobile=user.profile.mobile,
            email=user.email,
        )
        for user, role in roles
    ]
    return project, team


def _bulk_children(projects: list[Project]) -> None:
    today = timezone.localdate()
    work_items, checklist, risks, reports = [], [], [], []
    for index, project in enumerate(projects):
        work_items += work_item_defaults_build(project=project)
        items = responsibility_defaults_build(project=project)
        for offset, item in enumerate(items):
            item.due_date = today + datetime.timedelta(days=(index + offset) % 40 - 10)
            item.status = ChecklistStatus.DONE if offset % 3 == 0 else ChecklistStatus.OPEN
        checklist += items
        for n in range(3):
            risks.append(
                Risk(
                    project=project,
                    description=f"风险{n + 1}：第三方接口文档未按期提供",
                    probability=RiskLevel.MEDIUM,
                    impact=RiskLevel.HIGH,
                    owner=project.vendor_pm,
                    response="每周跟进",
                    status=RiskStatus.OPEN if n < 2 else RiskStatus.CLOSED,
                )
            )
        reports += [
            StatusReport(
                project=project,
                report_date=today - datetime.timedelta(days=7 * n),
                period_start=today - datetime.timedelta(days=7 * n + 6),
                period_end=today - datetime.timedelta(days=7 * n),
                status=ReportStatus.PUBLISHED,
                published_at=timezone.now(),
                progress_summary="按计划推进。",
                author=project.vendor_pm,
            )
            for n in range(2)
        ]
    WorkItem.objects.bulk_create(work_items, batch_size=BATCH)
    ResponsibilityItem.objects.bulk_create(checklist, batch_size=BATCH)
    Risk.objects.bulk_create(risks, batch_size=BATCH)
    StatusReport.objects.bulk_create(reports, batch_size=BATCH)


class _People:
    """Organisations and users by name, created on first use; one instance per command run."""

    def __init__(self) -> None:
        self._organizations: dict[str, Organization] = {}
        self._users: dict[str, object] = {}

    def organization(self, name: str, kind: str) -> Organization:
        if name not in self._organizations:
            self._organizations[name], _created = Organization.objects.get_or_create(name=name, defaults={"kind": kind})
        return self._organizations[name]

    def users(self, usernames: list[str], organization: Organization) -> list:
        """Get or create these users with profiles (no usable password: the bench logs in directly)."""
        missing = [name for name in usernames if name not in self._users]
        if missing:
            found = User.objects.filter(username__in=missing).select_related("profile")
            self._users.update({user.username: user for user in found})
            new = [
                User(username=name, email=f"{name}@bench.example", first_name=name, password=make_password(None))
                for name in missing
                if name not in self._users
            ]
            User.objects.bulk_create(new)
            profiles = Profile.objects.bulk_create(
                [Profile(user=user, organization=organization, position="工程师", mobile="13000000000") for user in new]
            )
            for user, profile in zip(new, profiles, strict=True):
                user.profile = profile
                self._users[user.username] = user
        return [self._users[name] for name in usernames]
