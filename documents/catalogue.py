"""The standard deliverable catalogue of SPEC §2, as the migrations leave it.

Migrations seed and later adjust the catalogue; an empty database rebuilt without them (the test
suite's flushed transactional tests) is given this same catalogue by ``deliverable_types_seed``.
"""

from __future__ import annotations

from .enums import DeliverableCode as Code
from .enums import SignerRole as Role
from .models import DeliverableType

CUSTOMER = [Role.CUSTOMER_LEAD]

# code, Chinese, English, process group, internal, gate (True, or the gate's process group),
# go-live only, signers in order
STANDARD_CATALOGUE = [
    (Code.CONTACT_DIRECTORY, "项目组织通讯录", "Project contact directory", "initiation", False, True, False, CUSTOMER),
    (
        Code.REQUIREMENTS_CONFIRMATION,
        "需求确认单",
        "Requirements confirmation",
        "planning",
        False,
        True,
        False,
        CUSTOMER,
    ),
    (Code.PROJECT_PLAN, "项目计划", "Project plan", "planning", False, True, False, CUSTOMER),
    (
        Code.IMPLEMENTATION_REPORT,
        "实施交付报告",
        "Implementation delivery report",
        "closing",
        False,
        "execution",
        False,
        CUSTOMER,
    ),
    (Code.GOLIVE_NOTICE, "项目上线通知", "Go-live notice", "closing", False, False, True, []),
    (Code.GOLIVE_CONFIRMATION, "上线确认单", "Go-live confirmation", "closing", False, True, True, CUSTOMER),
    (
        Code.OPERATION_PROBLEM_LOG,
        "系统运行问题跟踪记录单",
        "Operation problem log",
        "closing",
        False,
        False,
        False,
        CUSTOMER,
    ),
    (
        Code.FINAL_ACCEPTANCE_REPORT,
        "项目终验报告",
        "Final acceptance report",
        "closing",
        False,
        True,
        False,
        [Role.CUSTOMER_LEAD, Role.VENDOR_LEAD],
    ),
    (
        Code.PROJECT_SUMMARY_REPORT,
        "项目总结报告",
        "Project summary report",
        "closing",
        True,
        True,
        False,
        [Role.VENDOR_PM],
    ),
    (Code.HANDOVER_RECORD, "项目交接记录", "Handover record", "closing", True, True, False, [Role.VENDOR_PM]),
]


def deliverable_types_seed() -> None:
    """Create or reset every standard type to the catalogue above."""

    for position, row in enumerate(STANDARD_CATALOGUE, start=1):
        code, zh, en, phase, internal, gate, golive_only, signers = row
        DeliverableType.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "phase": phase,
                "internal": internal,
                "gate_required": bool(gate),
                "gate_phase": gate if isinstance(gate, str) else "",
                "golive_only": golive_only,
                "signer_roles": [str(role) for role in signers],
                "position": position,
            },
        )
