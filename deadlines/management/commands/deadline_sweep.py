from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from deadlines.services import deadline_sweep


class Command(BaseCommand):
    help = "Run one deadline sweep now (what Celery beat runs every five minutes) and print the counts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size: int, **options) -> None:
        result = deadline_sweep(batch_size=batch_size)
        self.stdout.write(
            f"applied {result.applied}, reminded {result.reminded}, failed {result.failed}, "
            f"unregistered {result.unregistered}"
        )
