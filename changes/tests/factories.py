"""Change letters for tests. ``change_filed`` goes through the service, as the application does
(deadline, event, PDF); ``ChangeRequestFactory`` writes a row directly, for lists and counts."""

from __future__ import annotations

import threading
from datetime import datetime

import factory
from django.db import connections

from accounts.tests.factories import DEFAULT_PASSWORD
from changes.enums import ChangeKind
from changes.models import ChangeRequest
from changes.services import (
    change_agree,
    change_agreement_propose,
    change_file,
    change_negotiation_start,
    change_reply,
    change_review_start,
)
from deadlines.calendar import TZ
from delivery.audit import RequestMeta
from documents.services import deliverable_get_or_create, version_draft_create, version_sign, version_submit
from projects.enums import Side
from projects.tests.factories import ProjectFactory

META = RequestMeta(ip_address="10.0.0.8", user_agent="pytest")
CUSTOMER_KINDS = (ChangeKind.VENDOR_AT_FAULT, ChangeKind.CUSTOMER_REASONS)


def change_filed(project, *, kind: str = ChangeKind.VENDOR_AT_FAULT, user=None, now: datetime | None = None, **extra):
    """File a letter through the service; by default the lead of the side that files ``kind``."""
    if user is None:
        user = project.vendor_pm if kind == ChangeKind.VENDOR_INITIATED else project.customer_lead
    fields = {
        "title": "归档邮箱容量调整",
        "reason": "上线前发现归档策略与客户合规要求不一致。",
        "requirements_change": "归档保存期由 3 年改为 5 年。",
        "plan_change": "",
        **extra,
    }
    return change_file(project=project, user=user, meta=META, kind=kind, now=now, **fields)


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    """A submitted 4.2 letter row (no deadline, no events): for list pages and query counts."""

    class Meta:
        model = ChangeRequest

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    kind = ChangeKind.VENDOR_AT_FAULT
    initiating_side = Side.CUSTOMER
    initiated_by = factory.LazyAttribute(lambda c: c.project.customer_lead)
    title = factory.Sequence(lambda n: f"变更{n}：调整迁移窗口")
    reason = "客户业务高峰期调整。"
    requirements_change = "迁移窗口改为周末。"
    received_at = datetime(2026, 9, 28, 10, 0, tzinfo=TZ)
    letter_sha256 = "0" * 64


REQUIREMENTS = {"items": [{"kind": "requirement", "text": "完成邮件系统部署，支持 5 万邮箱账户。"}]}
PLAN = {
    "milestones": [
        {
            "name": "环境准备",
            "kind": "preparation",
            "planned_start": "2026-09-01",
            "planned_end": "2026-09-15",
            "status": "done",
        },
        {
            "name": "部署与迁移",
            "kind": "implementation",
            "planned_start": "2026-09-16",
            "planned_end": "2026-10-30",
            "status": "in_progress",
        },
        {
            "name": "上线切换",
            "kind": "golive",
            "planned_start": "2026-11-02",
            "planned_end": "2026-11-06",
            "status": "planned",
        },
    ],
    "activities": [],
}
CONTENT = {"requirements_confirmation": REQUIREMENTS, "project_plan": PLAN}


def version_submitted(version):
    return version_submit(version=version, user=version.deliverable.project.vendor_pm, meta=META)


def version_signed(version):
    """The customer lead signs a submitted version online (documents' sign-off)."""
    lead = version.deliverable.project.customer_lead
    version_sign(
        version=version, user=lead, meta=META, typed_name=lead.get_full_name(), password=DEFAULT_PASSWORD, consent=True
    )
    version.refresh_from_db()
    return version


def deliverable_confirmed(project, code: str):
    """Version 1 of a deliverable, drafted, submitted and signed: the baseline a change updates."""
    deliverable = deliverable_get_or_create(project=project, code=code)
    version = version_draft_create(deliverable=deliverable, user=project.vendor_pm, meta=META, content=CONTENT[code])
    return version_signed(version_submitted(version))


def change_approved(project, *, kind: str = ChangeKind.VENDOR_AT_FAULT, now: datetime | None = None):
    """A letter accepted (4.2/4.3) or agreed (4.1/4.4) through the services."""
    change = change_filed(project, kind=kind, now=now)
    pm, lead = project.vendor_pm, project.customer_lead
    if kind in (ChangeKind.VENDOR_AT_FAULT, ChangeKind.CUSTOMER_REASONS):
        change_review_start(change=change, user=pm, meta=META)
        change = change_reply(
            change=change, user=pm, meta=META, accept=True, reasons="同意变更。", findings="属实。", now=now
        )
    else:
        receiver = lead if change.initiated_by_id == pm.pk else pm
        initiator = pm if receiver == lead else lead
        change_negotiation_start(change=change, user=receiver, meta=META)
        change_agreement_propose(change=change, user=receiver, meta=META, note="双方同意。", now=now)
        change = change_agree(change=change, user=initiator, meta=META, now=now)
    return change


def in_thread(work, *args):
    """Arrange outside the test's thread, where Playwright's event loop runs (pyHanko, which
    seals the PDFs after commit, starts its own loop and may not nest in another). Only for
    transactional tests: the thread has its own database connection."""
    results: list = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            results.append(work(*args))
        except BaseException as exc:  # surfaced below
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return results[0]
