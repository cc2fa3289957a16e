"""`frontdesk search ...`: rebuild and check the full-text index."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from search import index


class Command(BaseCommand):
    help = "The full-text index: rebuild it, or check it against the tickets."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        rebuild = commands.add_parser(
            "reindex",
            help="Write every ticket's row again, a batch a transaction; safe while in use.",
        )
        check = commands.add_parser(
            "verify", help="Compare the index with the tickets; exit 1 when they differ."
        )
        for command in (rebuild, check):
            command.add_argument(
                "--batch-size", type=int, default=index.BATCH_SIZE, help="Tickets a batch."
            )

    def handle(self, *args: Any, **options: Any) -> None:
        batch_size = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        total = index.ticket_count()
        if options["subcommand"] == "reindex":
            with progress_of(total, self.stdout, "indexed") as progress:
                done = index.rebuild(batch_size=batch_size, progress=progress)
            self.stdout.write(f"{done:,} tickets indexed.")
            return
        with progress_of(total, self.stdout, "checked") as progress:
            result = index.verify(batch_size=batch_size, progress=progress)
        if result.ok:
            self.stdout.write(f"{result.checked:,} tickets checked: the index is current.")
            return
        for label, numbers in (("stale or missing", result.stale), ("orphan", result.orphans)):
            if numbers:
                shown = ", ".join(f"#{number}" for number in numbers[:20])
                more = f" and {len(numbers) - 20:,} more" if len(numbers) > 20 else ""
                self.stderr.write(f"{len(numbers):,} {label} rows: {shown}{more}")
        raise CommandError("The index differs from the tickets: run `frontdesk search reindex`.")


@contextmanager
def progress_of(total: int, out: Any, verb: str) -> Iterator[Callable[[int], None]]:
    """A progress bar on a terminal; elsewhere (a log, a pipe) a line every 5 %."""
    if out.isatty():
        # The wrapper Django gives a command ends every write with a line; the bar
        # redraws one line, on the stream itself.
        with tqdm(total=total, unit=" tickets", file=out._out) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.n)

            yield advance
        return
    shown = -5

    def line(done: int) -> None:
        nonlocal shown
        percent = done * 100 // total if total else 100
        if percent >= shown + 5 or (done == total and percent > shown):
            shown = percent
            out.write(f"{verb} {done:,} of {total:,} tickets ({percent}%)")

    yield line
