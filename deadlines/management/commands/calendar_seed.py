from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from deadlines.calendar import calendar_invalidate
from deadlines.management.reporting import report_change
from deadlines.services import calendar_year_load
from deadlines.sources import package_days, package_source


class Command(BaseCommand):
    help = (
        "(Re)load the official schedules shipped in the chinese-calendar package (2004–2026 in 1.11.0) "
        "into the database, like the initial data migration does."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; save nothing.")

    def handle(self, *args, dry_run: bool, **options) -> None:
        source = package_source()
        try:
            with transaction.atomic():
                for year, days in package_days().items():
                    result = calendar_year_load(year=year, days=days, source=source)
                    if result.added or result.removed or result.changed or result.published_changed:
                        report_change(result, self.stdout.write)
                if dry_run:
                    transaction.set_rollback(True)
        finally:
            if dry_run:
                calendar_invalidate()
        self.stdout.write("Dry run: nothing was saved." if dry_run else f"Calendar up to date with {source}.")
