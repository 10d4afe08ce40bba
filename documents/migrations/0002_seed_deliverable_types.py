"""Seed the deliverable catalogue with every type of SPEC §2 (admins may edit it afterwards)."""

from django.db import migrations

# code, Chinese, English, process group, internal, approver role, gate, go-live only, customer signs, vendor signs
TYPES = [
    ("contact_directory", "项目组织通讯录", "Project contact directory", "initiation", False, "customer_pm", True, False, True, False),
    ("requirements_confirmation", "需求确认单", "Requirements confirmation", "planning", False, "customer_pm", True, False, True, False),
    ("project_plan", "项目计划", "Project plan", "planning", False, "customer_pm", True, False, True, False),
    ("implementation_report", "实施交付报告", "Implementation delivery report", "closing", False, "customer_pm", True, False, True, False),
    ("golive_notice", "项目上线通知", "Go-live notice", "closing", False, "customer_pm", False, True, False, False),
    ("golive_confirmation", "上线确认单", "Go-live confirmation", "closing", False, "customer_pm", True, True, True, False),
    ("operation_problem_log", "系统运行问题跟踪记录单", "Operation problem log", "closing", False, "customer_pm", False, False, True, False),
    ("final_acceptance_report", "项目终验报告", "Final acceptance report", "closing", False, "customer_pm", True, False, True, True),
    ("project_summary_report", "项目总结报告", "Project summary report", "closing", True, "vendor_pm", False, False, False, True),
    ("handover_record", "项目交接记录", "Handover record", "closing", True, "vendor_pm", False, False, False, True),
]


def seed(apps, schema_editor):
    DeliverableType = apps.get_model("documents", "DeliverableType")
    for position, row in enumerate(TYPES, start=1):
        code, zh, en, phase, internal, approver, gate, golive_only, customer_signs, vendor_signs = row
        DeliverableType.objects.update_or_create(
            code=code,
            defaults={
                "name_zh": zh,
                "name_en": en,
                "phase": phase,
                "internal": internal,
                "drafted_by": "vendor",
                "approver_role": approver,
                "gate_required": gate,
                "golive_only": golive_only,
                "customer_signs": customer_signs,
                "vendor_signs": vendor_signs,
                "position": position,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
