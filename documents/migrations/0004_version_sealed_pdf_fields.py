# Versions use the shared sealed-PDF fields (sealing.models.SealedPdf): the existing columns stay,
# two are added (the last rendering error and the number of attempts).

import django.db.models
from django.db import migrations

import sealing.models


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0003_golive_notice_is_received_not_signed"),
    ]

    operations = [
        migrations.AddField(
            model_name="deliverableversion",
            name="pdf_attempts",
            field=django.db.models.PositiveSmallIntegerField(default=0, verbose_name="rendering attempts"),
        ),
        migrations.AddField(
            model_name="deliverableversion",
            name="pdf_error",
            field=django.db.models.TextField(blank=True, verbose_name="last rendering error"),
        ),
        migrations.AlterField(
            model_name="deliverableversion",
            name="pdf",
            field=django.db.models.FileField(
                blank=True, upload_to=sealing.models.sealed_pdf_upload_to, verbose_name="signed PDF file"
            ),
        ),
    ]
