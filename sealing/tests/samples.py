"""Sample content for PDF tests and the benchmark: a requirements confirmation of N items."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.utils import timezone

KINDS = ["交付需求", "上线条件", "验收标准"]
SENTENCES = [
    "邮件系统完成部署并通过双方联合测试，支持 {n} 万个邮箱账户并发登录。",
    "历史邮件数据迁移完整率达到 100%，迁移过程中业务中断不超过 {n} 小时。",
    "与客户统一身份认证平台完成集成，单点登录成功率不低于 99.9%。",
    "反垃圾邮件策略按客户安全规范配置，误判率低于 0.0{n}%。",
]


def requirements_context(*, items: int, title: str = "需求确认单") -> dict:
    rows = [
        {
            "number": i + 1,
            "kind_label": KINDS[i % 3],
            "text": SENTENCES[i % len(SENTENCES)].format(n=i + 1) + " <script>alert(1)</script>",
        }
        for i in range(items)
    ]
    rows.sort(key=lambda r: KINDS.index(r["kind_label"]))
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    now = timezone.now()
    return {
        "title": title,
        "header_left": "PRJ-2026-001 · 江南制造邮件系统升级项目",
        "header_right": "REQ-001 v2",
        "pdf_metadata": {"deliveryref": f"PRJ-2026-001/requirements_confirmation/2/{digest}"},
        "project": {"code": "PRJ-2026-001", "name": "江南制造邮件系统升级项目", "customer": "江南制造集团股份有限公司"},
        "document": {
            "code": "REQ-001",
            "version": 2,
            "author": "王建国",
            "drafted_at": now - dt.timedelta(days=2),
            "sha256": digest,
        },
        "items": rows,
        "signatures": [{"side": "客户方", "name": "李静", "signed_at": now}],
        "audit_events": [
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
        ],
    }
