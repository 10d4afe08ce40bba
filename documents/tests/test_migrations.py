"""The catalogue migrations keep existing data: signers from the old flags, signatures' roles, gates."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from accounts.tests.factories import OrganizationFactory

BEFORE = [
    ("documents", "0003_golive_notice_is_received_not_signed"),
    ("projects", "0003_status_reports_risks_kickoff_mobiles"),
]
AFTER = [
    ("documents", "0006_signature_one_per_role_and_unused_catalogue_fields"),
    ("projects", "0004_project_vendor_lead"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def _schema_restored():
    """Migrating back unapplies every later migration of every app: put the whole schema back."""
    yield
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("_schema_restored")
def test_signatures_get_the_role_they_filled_and_types_their_signers():
    old = _migrate(BEFORE)
    DeliverableType = old.get_model("documents", "DeliverableType")
    # As a site may have it: the admin had unticked the gate of the project plan.
    DeliverableType.objects.filter(code="project_plan").update(gate_required=False)
    User = old.get_model("auth", "User")
    Project = old.get_model("projects", "Project")
    customer, pm = User.objects.create(username="lead"), User.objects.create(username="pm")
    project = Project.objects.create(
        code="HX-MIG-1",
        name="迁移",
        customer_id=OrganizationFactory().pk,  # accounts is not migrated back: its current model
        contract_number="C-1",
        contract_date="2026-01-01",
        golive_basis="contract",
        planned_start="2026-01-01",
        planned_end="2026-12-31",
        vendor_pm=pm,
        customer_lead=customer,
    )
    signatures = {}
    for code, sides in [("final_acceptance_report", ["customer", "vendor"]), ("handover_record", ["vendor"])]:
        deliverable = old.get_model("documents", "Deliverable").objects.create(
            project=project, type=DeliverableType.objects.get(code=code)
        )
        version = old.get_model("documents", "DeliverableVersion").objects.create(
            deliverable=deliverable, number=1, author=pm, state="confirmed"
        )
        for side in sides:
            signature = old.get_model("documents", "Signature").objects.create(
                version=version,
                side=side,
                signer=customer if side == "customer" else pm,
                typed_name="x",
                signed_at="2026-06-01T10:00:00Z",
                version_sha256="0" * 64,
            )
            signatures[(code, side)] = signature.pk

    new = _migrate(AFTER)

    Signature = new.get_model("documents", "Signature")
    roles = {key: Signature.objects.get(pk=pk).role for key, pk in signatures.items()}
    assert roles == {
        ("final_acceptance_report", "customer"): "customer_lead",
        ("final_acceptance_report", "vendor"): "vendor_lead",
        ("handover_record", "vendor"): "vendor_pm",
    }
    types = {
        t.code: (t.signer_roles, t.gate_required, t.gate_phase)
        for t in new.get_model("documents", "DeliverableType").objects.all()
    }
    assert types["final_acceptance_report"] == (["customer_lead", "vendor_lead"], True, "")
    assert types["golive_notice"] == ([], False, "")
    assert types["implementation_report"] == (["customer_lead"], True, "execution")
    assert types["project_summary_report"] == (["vendor_pm"], True, "")
    # Behaviour is unchanged by default: the gates take today's list of the code.
    assert types["project_plan"] == (["customer_lead"], True, "")
    assert new.get_model("projects", "Project").objects.get(code="HX-MIG-1").vendor_lead_id is None
