"""`frontdesk mailgate`: an MTA pipes one message to stdin (S27).

Exit status follows sysexits.h, which MTAs understand: 0 when the message is
stored (as a ticket, a reply, or in quarantine), 75 (EX_TEMPFAIL) when it
could not be stored for now, so the MTA keeps it and tries again. Nothing is
half-stored: the message is written in one transaction or not at all.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from frontdesk.startup import require_shared_media
from mail.ingest import TEMPORARY_ERRORS, ingest

log = logging.getLogger(__name__)

EX_OK = 0
EX_TEMPFAIL = 75


class Command(BaseCommand):
    help = "Store one e-mail message read from standard input (for an MTA's pipe)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--source", default="mailgate", help="Recorded as where the message came from."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            require_shared_media()
        except CommandError as error:
            # Stored here, the mail would be missing on the other machines: the MTA keeps it.
            self.stderr.write(f"mailgate: {error}")
            sys.exit(EX_TEMPFAIL)
        raw = sys.stdin.buffer.read()
        try:
            result = ingest(raw, options["source"])
        except TEMPORARY_ERRORS as error:
            # The MTA must keep the message: say why on stderr, where it logs it.
            self.stderr.write(f"mailgate: temporary failure, try again later: {error}")
            sys.exit(EX_TEMPFAIL)
        except Exception as error:
            # Not even quarantine could take it; a later try may.
            log.exception("mailgate: could not store the message")
            self.stderr.write(f"mailgate: could not store the message: {error}")
            sys.exit(EX_TEMPFAIL)
        if result.quarantined is not None:
            self.stderr.write(f"mailgate: stored in quarantine #{result.quarantined.pk}")
        sys.exit(EX_OK)
