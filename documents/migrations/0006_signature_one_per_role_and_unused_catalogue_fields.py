from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("documents", "0005_catalogue_signers_and_gates_from_the_old_fields")]

    operations = [
        migrations.RemoveConstraint(model_name="signature", name="signature_one_per_side"),
        migrations.AddConstraint(
            model_name="signature",
            constraint=models.UniqueConstraint(fields=("version", "role"), name="signature_one_per_role"),
        ),
        # Replaced by signer_roles: who approves a deliverable is who signs it, in order. (A default
        # first, so that going back can re-create the column on existing rows; 0005 refills it.)
        migrations.AlterField(
            model_name="deliverabletype",
            name="approver_role",
            field=models.CharField(default="customer_pm", max_length=30, verbose_name="approved by"),
        ),
        migrations.RemoveField(model_name="deliverabletype", name="approver_role"),
        migrations.RemoveField(model_name="deliverabletype", name="customer_signs"),
        migrations.RemoveField(model_name="deliverabletype", name="vendor_signs"),
        # Every deliverable is drafted by the vendor (SPEC §2); the field was never read.
        migrations.RemoveField(model_name="deliverabletype", name="drafted_by"),
    ]
