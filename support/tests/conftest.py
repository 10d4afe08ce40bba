"""The cast of the support procedure: one person per role, a customer and its contact."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from accounts.tests.factories import CustomerUserFactory, OrganizationFactory
from delivery.audit import RequestMeta
from support.enums import SupportRoleKind

from .factories import person_with_role

META = RequestMeta(ip_address="10.0.0.8", user_agent="pytest")


@dataclass
class Cast:
    technical_director: object
    engineer: object
    sales: object
    sales_lead: object
    local_sales_director: object
    company_sales_director: object
    administration: object
    customer: object
    contact: object


@pytest.fixture
def cast(db) -> Cast:
    customer = OrganizationFactory(name="江南制造股份有限公司", short_name="江南制造")
    return Cast(
        technical_director=person_with_role(SupportRoleKind.TECHNICAL_DIRECTOR, first_name="陈技术"),
        engineer=person_with_role(SupportRoleKind.ENGINEER, first_name="王工"),
        sales=person_with_role(SupportRoleKind.SALES, first_name="李销售"),
        sales_lead=person_with_role(SupportRoleKind.SALES_LEAD, first_name="赵主管"),
        local_sales_director=person_with_role(SupportRoleKind.LOCAL_SALES_DIRECTOR, first_name="孙总监"),
        company_sales_director=person_with_role(SupportRoleKind.COMPANY_SALES_DIRECTOR, first_name="周总"),
        administration=person_with_role(SupportRoleKind.ADMINISTRATION, first_name="吴行政"),
        customer=customer,
        contact=CustomerUserFactory(profile__organization=customer, first_name="钱客户"),
    )


@pytest.fixture
def meta() -> RequestMeta:
    return META
