# The change PDFs use the shared sealed-PDF fields (sealing.models.SealedPdf): the columns are
# renamed, never dropped, so every stored file and fingerprint stays where it is.

import django.db.models
from django.db import migrations

import sealing.models


class Migration(migrations.Migration):
    dependencies = [
        ("changes", "0004_change_list_order_index"),
    ]

    operations = [
        migrations.RenameField(model_name="changepdf", old_name="file", new_name="pdf"),
        migrations.RenameField(model_name="changepdf", old_name="status", new_name="pdf_status"),
        migrations.RenameField(model_name="changepdf", old_name="sha256", new_name="pdf_sha256"),
        migrations.AddField(
            model_name="changepdf",
            name="pdf_attempts",
            field=django.db.models.PositiveSmallIntegerField(default=0, verbose_name="rendering attempts"),
        ),
        migrations.AddField(
            model_name="changepdf",
            name="pdf_error",
            field=django.db.models.TextField(blank=True, verbose_name="last rendering error"),
        ),
        migrations.AlterField(
            model_name="changepdf",
            name="pdf",
            field=django.db.models.FileField(
                blank=True, upload_to=sealing.models.sealed_pdf_upload_to, verbose_name="signed PDF file"
            ),
        ),
    ]
