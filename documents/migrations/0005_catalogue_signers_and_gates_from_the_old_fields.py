"""Carry the catalogue over unchanged in behaviour.

Signers: the customer lead where the type was signed by the customer, then the vendor: its project
lead on a type both sides sign (final acceptance: both sides' leads), its PM on the internal ones.
Gates: exactly the deliverables the gates asked for until now (projects.lifecycle's former list),
the implementation delivery report being needed to leave execution. Existing signatures get the
role they filled.
"""

from django.db import migrations

GATE_PHASES = {
    "contact_directory": "",
    "requirements_confirmation": "",
    "project_plan": "",
    "implementation_report": "execution",
    "golive_confirmation": "",
    "final_acceptance_report": "",
    "project_summary_report": "",
    "handover_record": "",
}


def _roles(customer_signs: bool, vendor_signs: bool) -> list[str]:
    roles = ["customer_lead"] if customer_signs else []
    if vendor_signs:
        roles.append("vendor_lead" if customer_signs else "vendor_pm")
    return roles


def forward(apps, schema_editor):
    DeliverableType = apps.get_model("documents", "DeliverableType")
    Signature = apps.get_model("documents", "Signature")
    for deliverable_type in DeliverableType.objects.all():
        deliverable_type.signer_roles = _roles(deliverable_type.customer_signs, deliverable_type.vendor_signs)
        deliverable_type.gate_required = deliverable_type.code in GATE_PHASES
        deliverable_type.gate_phase = GATE_PHASES.get(deliverable_type.code, "")
        deliverable_type.save(update_fields=["signer_roles", "gate_required", "gate_phase"])
        vendor_role = "vendor_lead" if deliverable_type.customer_signs else "vendor_pm"
        signatures = Signature.objects.filter(version__deliverable__type=deliverable_type)
        signatures.filter(side="customer").update(role="customer_lead")
        signatures.filter(side="vendor").update(role=vendor_role)


def backward(apps, schema_editor):
    DeliverableType = apps.get_model("documents", "DeliverableType")
    for deliverable_type in DeliverableType.objects.all():
        roles = deliverable_type.signer_roles or []
        deliverable_type.customer_signs = "customer_lead" in roles
        deliverable_type.vendor_signs = "vendor_lead" in roles or "vendor_pm" in roles
        deliverable_type.approver_role = "vendor_pm" if roles == ["vendor_pm"] else "customer_pm"
        deliverable_type.save(update_fields=["customer_signs", "vendor_signs", "approver_role"])


class Migration(migrations.Migration):
    dependencies = [("documents", "0004_signers_declared_and_gate_phase")]

    operations = [migrations.RunPython(forward, backward)]
