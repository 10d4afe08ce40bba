"""Seed the official calendar 2004–2026 from the chinese-calendar package (SPEC §5).

From here on the database is the source of truth; request code never imports the package.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    from deadlines.sources import package_days, package_source

    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    source = package_source()
    now = timezone.now()
    years = package_days()
    CalendarYear.objects.bulk_create(
        [CalendarYear(year=year, published=True, source=source, loaded_at=now) for year in years],
        ignore_conflicts=True,
    )
    CalendarDay.objects.bulk_create(
        [
            CalendarDay(
                date=spec.date,
                kind=spec.kind,
                name_zh=spec.name_zh,
                name_en=spec.name_en,
                year=spec.date.year,
                source=source,
            )
            for days in years.values()
            for spec in days
        ],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):
    apps.get_model("deadlines", "CalendarDay").objects.all().delete()
    apps.get_model("deadlines", "CalendarYear").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
