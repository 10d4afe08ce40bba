# Unfinished PDF effects recorded before the one render-and-seal task existed name the old
# per-app tasks; point them at sealing.render_sealed_pdf so the reconciler can still run them.

from django.db import migrations

OLD_TASKS = {
    "documents.render_signed_pdf": ("version_id", "documents.deliverableversion"),
    "changes.render_pdf": ("pdf_id", "changes.changepdf"),
}


def forwards(apps, schema_editor):
    Effect = apps.get_model("delivery", "Effect")
    for effect in Effect.objects.filter(task__in=OLD_TASKS).exclude(state="done"):
        argument, model = OLD_TASKS[effect.task]
        effect.task = "sealing.render_sealed_pdf"
        effect.kwargs = {"model": model, "pk": effect.kwargs[argument]}
        effect.save(update_fields=["task", "kwargs"])


def backwards(apps, schema_editor):
    Effect = apps.get_model("delivery", "Effect")
    by_model = {model: (task, argument) for task, (argument, model) in OLD_TASKS.items()}
    for effect in Effect.objects.filter(task="sealing.render_sealed_pdf").exclude(state="done"):
        if effect.kwargs.get("model") in by_model:
            task, argument = by_model[effect.kwargs["model"]]
            effect.task = task
            effect.kwargs = {argument: effect.kwargs["pk"]}
            effect.save(update_fields=["task", "kwargs"])


class Migration(migrations.Migration):
    dependencies = [
        ("delivery", "0001_effects_outbox"),
        ("documents", "0004_version_sealed_pdf_fields"),
        ("changes", "0005_change_pdf_sealed_fields"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
