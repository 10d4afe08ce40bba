"""Sample content for PDF tests and the benchmark: a requirements confirmation of N items, with
the context shape documents/rendering.py builds (title block, grouped items, both parties)."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

from sealing.sealed import SealSpec
from sealing.signoff import Party, SignerEntry

TEMPLATE = "documents/pdf/requirements_confirmation.html"
VENDOR = "华信交付科技有限公司"
KINDS = ["交付需求", "上线条件", "验收标准"]
HEADINGS = ["一、交付需求", "二、上线条件", "三、验收标准"]
SENTENCES = [
    "邮件系统完成部署并通过双方联合测试，支持 {n} 万个邮箱账户并发登录。",
    "历史邮件数据迁移完整率达到 100%，迁移过程中业务中断不超过 {n} 小时。",
    "与客户统一身份认证平台完成集成，单点登录成功率不低于 99.9%。",
    "反垃圾邮件策略按客户安全规范配置，误判率低于 0.0{n}%。",
]
SEAL = SealSpec(organization=VENDOR, purpose="电子签章", reason="客户确认", location="苏州")


def requirements_context(*, items: int, title: str = "需求确认单", long_item_paragraphs: int = 0) -> dict:
    """``items`` items spread over the three kinds; with ``long_item_paragraphs``, the second item
    is that many paragraphs long (a row longer than what is left of the page)."""
    groups = _item_groups(items=items, long_item_paragraphs=long_item_paragraphs)
    digest = hashlib.sha256(repr(groups).encode()).hexdigest()
    now = timezone.now()
    return {
        "title": title,
        "header_left": "PRJ-2026-001 · 江南制造邮件系统升级项目",
        "header_right": f"{title} · 第 2 版",
        "pdf_metadata": {"deliveryref": f"PRJ-2026-001/requirements_confirmation/2/{digest}"},
        "pdf_author": VENDOR,
        "pdf_subject": "PRJ-2026-001 · 江南制造邮件系统升级项目",
        "pdf_keywords": [title, "PRJ-2026-001", "江南制造集团股份有限公司", "HT-2026-0815", "第 2 版"],
        "title_rows": [
            ("项目", "PRJ-2026-001 · 江南制造邮件系统升级项目"),
            ("客户", "江南制造集团股份有限公司"),
            ("合同编号", "HT-2026-0815"),
            ("版本", "第 2 版"),
            ("日期", (now - dt.timedelta(days=2)).strftime("%Y-%m-%d")),
            ("编制", f"王建国 · {VENDOR}"),
        ],
        "document": {"version": 2, "sha256": digest},
        "groups": groups,
        "sign_off": _sign_off(now),
        "audit_events": _audit_events(now),
    }


def _item_groups(*, items: int, long_item_paragraphs: int) -> list[dict]:
    texts: list[list[str]] = [[], [], []]
    for i in range(items):
        text = SENTENCES[i % len(SENTENCES)].format(n=i + 1) + " <script>alert(1)</script>"
        if i == 1 and long_item_paragraphs:
            text += "\n" + "\n".join(
                f"{p + 1}）" + "迁移前冻结源系统配置，逐批核对账户、文件夹与邮件数量，差异逐项记录并由双方确认。" * 3
                for p in range(long_item_paragraphs)
            )
        texts[i % 3].append(text)
    return [
        {"label": KINDS[k], "heading": HEADINGS[k], "items": list(enumerate(texts[k], start=1))}
        for k in range(3)
        if texts[k]
    ]


def _sign_off(now) -> list[Party]:
    return [
        Party(
            side="客户方（甲方）",
            organization="江南制造集团股份有限公司",
            signers=[SignerEntry(role="项目负责人", name="李静", signed_at=now, method="在线签署")],
        ),
        Party(
            side="交付方（乙方）",
            organization=VENDOR,
            signers=[SignerEntry(role="项目经理", name="王建国")],
            seal_purpose="电子签章",
            sealed_at=now,
        ),
    ]


def _audit_events(now) -> list[dict]:
    return [
        {
            "at": now - dt.timedelta(days=1),
            "label": "提交签署",
            "by": "王建国",
            "ip": "10.0.0.8",
            "user_agent": "Mozilla/5.0",
        },
        {
            "at": now,
            "label": "签署确认",
            "by": "李静",
            "ip": "10.0.8.21",
            "user_agent": "Mozilla/5.0",
            "comment": "同意",
        },
    ]
