from django.db import migrations, models

import documents.models


class Migration(migrations.Migration):
    dependencies = [("documents", "0003_golive_notice_is_received_not_signed")]

    operations = [
        migrations.AddField(
            model_name="deliverabletype",
            name="gate_phase",
            field=models.CharField(
                blank=True,
                choices=[
                    ("initiation", "Initiation"),
                    ("planning", "Planning"),
                    ("execution", "Execution"),
                    ("closing", "Closing"),
                    ("closed", "Closed"),
                ],
                help_text="The process group whose gate needs it; empty means the type's own process group.",
                max_length=20,
                verbose_name="gate",
            ),
        ),
        migrations.AddField(
            model_name="deliverabletype",
            name="signer_roles",
            field=models.JSONField(
                blank=True,
                default=documents.models._default_signers,
                help_text='A list of roles, first signer first, e.g. ["customer_lead", "vendor_lead"]. Roles: '
                "customer_lead, customer_tech_lead, vendor_lead, vendor_pm. An empty list: delivered, not signed.",
                verbose_name="signers, in signing order",
            ),
        ),
        migrations.AlterField(
            model_name="deliverabletype",
            name="gate_required",
            field=models.BooleanField(
                default=False,
                help_text="When ticked, the project cannot pass the gate named below until this deliverable is "
                "accepted.",
                verbose_name="needed by a phase gate",
            ),
        ),
        migrations.AddField(
            model_name="signature",
            name="role",
            field=models.CharField(
                choices=[
                    ("customer_lead", "Customer project lead"),
                    ("customer_tech_lead", "Customer technical lead"),
                    ("vendor_lead", "Vendor project lead"),
                    ("vendor_pm", "Vendor project manager"),
                ],
                default="",
                max_length=30,
                verbose_name="signer role",
            ),
            preserve_default=False,
        ),
    ]
