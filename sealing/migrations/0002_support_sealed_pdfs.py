# Service forms are sealed by the one render-and-seal task; signed weekly reports get a sealed PDF
# too. Unfinished effects that name the old task are pointed at the new one, and every weekly
# report signed before this change is scheduled once (the reconciler publishes pending effects).

from django.db import migrations

TASK = "sealing.render_sealed_pdf"


def forwards(apps, schema_editor):
    Effect = apps.get_model("delivery", "Effect")
    WeeklyReport = apps.get_model("support", "WeeklyReport")
    for effect in Effect.objects.filter(task="support.render_service_form_pdf").exclude(state="done"):
        effect.task = TASK
        effect.kwargs = {"model": "support.serviceform", "pk": effect.kwargs["form_id"]}
        effect.save(update_fields=["task", "kwargs"])
    signed = WeeklyReport.objects.filter(state="signed", pdf_status="none")
    Effect.objects.bulk_create(
        [
            Effect(
                kind="pdf.weekly_report",
                key=f"pdf:weekly_report:{pk}",
                task=TASK,
                kwargs={"model": "support.weeklyreport", "pk": pk},
                queue="pdf",
            )
            for pk in signed.values_list("pk", flat=True)
        ],
        ignore_conflicts=True,
    )
    signed.update(pdf_status="pending")


def backwards(apps, schema_editor):
    Effect = apps.get_model("delivery", "Effect")
    for effect in Effect.objects.filter(task=TASK, kwargs__model="support.serviceform").exclude(state="done"):
        effect.task = "support.render_service_form_pdf"
        effect.kwargs = {"form_id": effect.kwargs["pk"]}
        effect.save(update_fields=["task", "kwargs"])


class Migration(migrations.Migration):
    dependencies = [
        ("sealing", "0001_render_effects_use_the_sealing_task"),
        ("support", "0006_service_form_and_weekly_report_sealed_pdfs"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
