"""§3.1.4: a go-live notice is delivered to the customer lead, who may object to it; nobody signs it."""

from django.db import migrations


def received_only(apps, schema_editor):
    apps.get_model("documents", "DeliverableType").objects.filter(code="golive_notice").update(customer_signs=False)


def signed_again(apps, schema_editor):
    apps.get_model("documents", "DeliverableType").objects.filter(code="golive_notice").update(customer_signs=True)


class Migration(migrations.Migration):
    dependencies = [("documents", "0002_seed_deliverable_types")]

    operations = [migrations.RunPython(received_only, signed_again)]
