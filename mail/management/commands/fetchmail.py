"""`frontdesk fetchmail`: poll the configured mailboxes once (the worker does it every minute)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from mail.fetch import poll
from mail.models import Mailbox


class Command(BaseCommand):
    help = "Fetch new mail from the active IMAP and POP3 mailboxes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--mailbox", action="append", help="Only this mailbox (by name).")

    def handle(self, *args: Any, **options: Any) -> None:
        mailboxes = Mailbox.objects.filter(is_active=True)
        if options["mailbox"]:
            mailboxes = mailboxes.filter(name__in=options["mailbox"])
            missing = set(options["mailbox"]) - set(mailboxes.values_list("name", flat=True))
            if missing:
                raise CommandError(f"No active mailbox named {', '.join(sorted(missing))}.")
        failed = []
        for mailbox in mailboxes:
            result = poll(mailbox)
            line = (
                f"{mailbox.name}: {result.stored} stored, {result.duplicates} already known, "
                f"{result.quarantined} quarantined"
            )
            if result.error:
                failed.append(mailbox.name)
                self.stderr.write(f"{line}; failed: {result.error}")
            else:
                self.stdout.write(line)
        if failed:
            raise CommandError(f"Polling failed for {', '.join(failed)}.")
