from __future__ import annotations

import factory

from accounts.tests.factories import VendorUserFactory
from documents.models import Deliverable, DeliverableType, DeliverableVersion
from projects.tests.factories import ProjectFactory

REQUIREMENTS = {
    "items": [
        {"uid": "r1", "kind": "requirement", "text": "完成邮件系统部署，支持 5 万邮箱账户。"},
        {"uid": "r2", "kind": "golive_condition", "text": "联合测试通过，无一级缺陷。"},
        {"uid": "r3", "kind": "acceptance_criterion", "text": "稳定运行一个月。"},
    ]
}


class DeliverableFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deliverable

    project = factory.SubFactory(ProjectFactory)
    type = factory.LazyFunction(lambda: DeliverableType.objects.get(code="requirements_confirmation"))


class VersionFactory(factory.django.DjangoModelFactory):
    """A draft version; use the services to move it on, as the application does."""

    class Meta:
        model = DeliverableVersion

    deliverable = factory.SubFactory(DeliverableFactory)
    number = factory.Sequence(lambda n: n + 1)
    author = factory.LazyAttribute(lambda v: v.deliverable.project.vendor_pm or VendorUserFactory())
    content = factory.LazyFunction(lambda: {"items": [dict(row) for row in REQUIREMENTS["items"]]})
