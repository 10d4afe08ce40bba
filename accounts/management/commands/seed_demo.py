"""Demo data for a first look at the product: both organisations and one login per role.

Idempotent: running it again keeps existing data and resets the demo passwords.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.enums import OrganizationKind
from accounts.services import organization_get_or_create, user_ensure

DEMO_PASSWORD = "Demo-2026!"
DEMO_USERS = [
    # username, full name, e-mail, position, role description
    ("admin", "系统管理员", "admin@vendor.example", "系统管理员", "admin"),
    ("pm", "王建国", "wang.jianguo@vendor.example", "项目经理", "vendor PM"),
    ("lead", "李静", "li.jing@customer.example", "信息中心主任", "customer lead"),
]


class Command(BaseCommand):
    help = "Load demo organisations and users (prints the logins)."

    @transaction.atomic
    def handle(self, *args: object, **options: object) -> None:
        vendor = organization_get_or_create(
            name="华信交付科技有限公司",
            short_name="华信交付",
            kind=OrganizationKind.VENDOR,
            address="北京市海淀区中关村大街 1 号",
        )
        customer = organization_get_or_create(
            name="江南制造集团股份有限公司",
            short_name="江南制造",
            kind=OrganizationKind.CUSTOMER,
            address="江苏省苏州市工业园区星湖街 88 号",
        )
        user_ensure(
            username="admin",
            email=DEMO_USERS[0][2],
            full_name=DEMO_USERS[0][1],
            organization=vendor,
            password=DEMO_PASSWORD,
            position=DEMO_USERS[0][3],
            is_superuser=True,
            vendor_manager=True,
        )
        user_ensure(
            username="pm",
            email=DEMO_USERS[1][2],
            full_name=DEMO_USERS[1][1],
            organization=vendor,
            password=DEMO_PASSWORD,
            position=DEMO_USERS[1][3],
            mobile="13800000001",
        )
        user_ensure(
            username="lead",
            email=DEMO_USERS[2][2],
            full_name=DEMO_USERS[2][1],
            organization=customer,
            password=DEMO_PASSWORD,
            position=DEMO_USERS[2][3],
            mobile="13900000002",
        )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Logins (password for all: {DEMO_PASSWORD}):"))
        for username, full_name, _email, _position, role in DEMO_USERS:
            self.stdout.write(f"  {username:<6} {full_name}  ({role})")
