"""Deliverables for the demo project, so a first look shows the sign-off at work."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile

from delivery.audit import RequestMeta

from .enums import OfflineEvidenceKind
from .services import (
    deliverable_get_or_create,
    version_confirm_offline,
    version_draft_create,
    version_draft_update,
    version_submit,
)

META = RequestMeta(ip_address="127.0.0.1", user_agent="demo data")

REQUIREMENTS = [
    ("requirement", "完成新邮件系统（v8.2）部署，支持 12,000 个邮箱账户，双机热备。"),
    ("requirement", "迁移近五年历史邮件（约 4 TB），迁移完整率 100%。"),
    ("requirement", "与集团统一身份认证平台集成，实现单点登录。"),
    ("golive_condition", "联合测试通过，无一级、二级缺陷；切换演练完成一次。"),
    ("acceptance_criterion", "上线后稳定运行一个月，可用性不低于 99.9%。"),
]


def _plan(today: dt.date, shift: int) -> dict:
    def day(offset: int) -> str:
        return (today + dt.timedelta(days=offset)).isoformat()

    return {
        "milestones": [
            {
                "name": "环境准备与部署",
                "kind": "preparation",
                "planned_start": day(-60),
                "planned_end": day(-40),
                "outputs": "部署方案、环境检查表",
                "status": "done",
                "actual_start": day(-60),
                "actual_end": day(-38),
            },
            {
                "name": "数据迁移与集成",
                "kind": "implementation",
                "planned_start": day(-37),
                "planned_end": day(10 + shift),
                "outputs": "迁移报告、集成测试报告",
                "status": "in_progress" if not shift else "delayed",
                "actual_start": day(-36),
            },
            {
                "name": "上线切换",
                "kind": "golive",
                "planned_start": day(14 + shift),
                "planned_end": day(18 + shift),
                "outputs": "上线确认单",
                "status": "planned",
            },
        ],
        "activities": [
            {"name": "联合测试", "side": "both", "start": day(0 + shift), "end": day(9 + shift), "notes": "双方测试组"},
            {
                "name": "用户培训",
                "side": "vendor",
                "start": day(11 + shift),
                "end": day(13 + shift),
                "notes": "管理员与终端用户",
            },
        ],
    }


def demo_deliverables(*, project, pm, today: dt.date) -> None:
    """Requirements and plan v1 confirmed on paper; plan v2 (a delayed migration) awaits the lead."""
    requirements = deliverable_get_or_create(project=project, code="requirements_confirmation")
    version = version_draft_create(
        deliverable=requirements,
        user=pm,
        meta=META,
        content={"items": [{"kind": k, "text": t} for k, t in REQUIREMENTS]},
    )
    version_confirm_offline(
        version=version,
        user=pm,
        meta=META,
        kind=OfflineEvidenceKind.PAPER,
        evidence=ContentFile(b"%PDF-1.4\n% scanned signature page\n", name="需求确认单-签字页.pdf"),
        note="客户方负责人已在纸质版签字，扫描件已归档",
    )
    plan = deliverable_get_or_create(project=project, code="project_plan")
    first = version_draft_create(deliverable=plan, user=pm, meta=META, content=_plan(today, 0))
    version_confirm_offline(
        version=first,
        user=pm,
        meta=META,
        kind=OfflineEvidenceKind.EMAIL,
        evidence=ContentFile(b"From: lead\nSubject: Re: project plan\n\nConfirmed.\n", name="项目计划确认邮件.eml"),
    )
    # Version 2 starts from version 1 (rows keep their identity) and moves the migration by a week.
    second = version_draft_create(deliverable=plan, user=pm, meta=META)
    delayed = _plan(today, 7)
    content = dict(second.content)
    for table in ("milestones", "activities"):
        content[table] = [
            {**row, **new, "uid": row["uid"]} for row, new in zip(content[table], delayed[table], strict=True)
        ]
    second = version_draft_update(version=second, user=pm, meta=META, content=content)
    version_submit(version=second, user=pm, meta=META)
