"""`frontdesk mail ...`: the quarantine and the outbox from the command line."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mail import outbox
from mail.ingest import reprocess
from mail.models import QuarantinedMessage


class Command(BaseCommand):
    help = "Quarantined mail and the outbox: list, reprocess, send."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        commands.add_parser("quarantine", help="List quarantined messages not resolved yet.")
        again = commands.add_parser(
            "reprocess", help="Run quarantined messages through ingestion again."
        )
        again.add_argument(
            "ids",
            nargs="*",
            type=int,
            help="Quarantine ids, processed even over the new-ticket limit; none: all open.",
        )
        commands.add_parser("send", help="Send the outgoing mail that is due now.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["subcommand"] == "quarantine":
            self._list()
        elif options["subcommand"] == "reprocess":
            self._reprocess(options["ids"])
        else:
            self.stdout.write(f"{outbox.sweep()} sent")

    def _list(self) -> None:
        for entry in QuarantinedMessage.objects.filter(resolved=False):
            self.stdout.write(
                f"#{entry.pk} {entry.last_attempt_at:%Y-%m-%d %H:%M} {entry.source} "
                f"({entry.attempts} attempts): {entry.error}"
            )

    def _reprocess(self, ids: list[int]) -> None:
        entries = QuarantinedMessage.objects.filter(resolved=False).order_by("id")
        if ids:
            entries = entries.filter(pk__in=ids)
            missing = set(ids) - set(entries.values_list("pk", flat=True))
            if missing:
                raise CommandError(f"No open quarantine entry {sorted(missing)}.")
        still_failing = 0
        for entry in entries:
            # Named entries are an admin's decision; "all" keeps a flood held by the
            # new-ticket limit (mail.limits) where it is.
            result = reprocess(entry, check_sender_rate=not ids)
            if result.inbound is not None:
                self.stdout.write(f"#{entry.pk}: stored ({result.inbound.get_outcome_display()})")
            else:
                still_failing += 1
                error = result.quarantined.error if result.quarantined else ""
                self.stderr.write(f"#{entry.pk}: failed again: {error}")
        if still_failing:
            raise CommandError(f"{still_failing} message(s) still fail.")
