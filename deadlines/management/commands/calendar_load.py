from __future__ import annotations

from itertools import groupby
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from deadlines.calendar import calendar_invalidate
from deadlines.calendar_files import CalendarFileError, parse_calendar_file
from deadlines.management.reporting import report_change
from deadlines.services import calendar_year_load


class Command(BaseCommand):
    help = (
        "Load a year's official schedule (holidays and make-up working days) from a CSV, YAML or .ics "
        "file. The file's rows replace the year's rows, the year becomes published and open deadlines "
        "it moves are re-computed and their people notified."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--year", type=int, help="Load only this year; rows of other years are an error.")
        parser.add_argument("--dry-run", action="store_true", help="Print what would change; save nothing.")

    def handle(self, *args, file: Path, year: int | None, dry_run: bool, **options) -> None:
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            specs = parse_calendar_file(file)
        except CalendarFileError as exc:
            raise CommandError(str(exc)) from exc
        by_year = {y: list(days) for y, days in groupby(specs, key=lambda spec: spec.date.year)}
        if year is not None:
            others = sorted(set(by_year) - {year})
            if others:
                raise CommandError(f"{file.name} has rows for {', '.join(map(str, others))}, not only {year}.")
            by_year.setdefault(year, [])
        if not by_year:
            raise CommandError(f"{file.name} has no rows; pass --year to publish a year without exceptions.")
        try:
            with transaction.atomic():
                for each_year, days in sorted(by_year.items()):
                    report_change(calendar_year_load(year=each_year, days=days, source=file.name), self.stdout.write)
                if dry_run:
                    transaction.set_rollback(True)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            if dry_run:
                calendar_invalidate()
        self.stdout.write("Dry run: nothing was saved." if dry_run else "Saved.")
