"""`frontdesk reports rebuild`: the reports' figures again from the tickets."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports import facts
from search.index import ticket_count
from search.management.commands.search import progress_of


class Command(BaseCommand):
    help = "The reports' figures: rebuild them from the tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        rebuild = commands.add_parser(
            "rebuild", help="Count every ticket again, in one transaction; safe while in use."
        )
        rebuild.add_argument(
            "--batch-size", type=int, default=facts.BATCH_SIZE, help="Tickets a batch."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = ticket_count()
        with progress_of(total, self.stdout, "counted") as progress:
            done = facts.rebuild(batch_size=batch_size, progress=progress)
        self.stdout.write(f"{done:,} tickets counted.")
