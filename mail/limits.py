"""How many tickets one sender may open by mail: a flood waits in quarantine.

Without a limit one address (or a script forging it) can open thousands of
tickets an hour and bury the real ones. Over MAIL_NEW_TICKETS_PER_SENDER in
MAIL_NEW_TICKETS_WINDOW seconds, a message that would open a ticket is kept in
quarantine with its raw bytes instead; administrators see a banner and
re-process what was real. Replies to existing tickets are never held.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from mail import conf
from mail.models import QuarantinedMessage
from tickets.models import Ticket

#: The start of a held message's quarantine error: the banner counts by it.
HELD_PREFIX = "Sender over the new-ticket limit:"


class SenderOverLimit(Exception):
    """The sender opened as many tickets as the limit allows in the window."""


def tickets_opened_by(sender: str, since: datetime) -> int:
    # Served by the index ticket_requester (requester_email, -created_at): addresses
    # are stored lower-case, so the exact match and the range read only this sender's rows.
    return Ticket.objects.filter(requester_email=sender.lower(), created_at__gte=since).count()


def check_new_ticket(sender: str) -> None:
    """Raise SenderOverLimit when ``sender`` may open no more tickets now."""
    if not sender:
        return
    limit, window = conf.new_tickets_per_sender(), conf.new_tickets_window()
    opened = tickets_opened_by(sender, timezone.now() - timedelta(seconds=window))
    if opened >= limit:
        raise SenderOverLimit(
            f"{HELD_PREFIX} {sender} opened {opened} tickets in the last {window} seconds "
            f"(at most {limit} are allowed). Re-process to open the ticket anyway."
        )


def held_messages() -> QuerySet[QuarantinedMessage]:
    """Messages waiting in quarantine because their sender was over the limit."""
    return QuarantinedMessage.objects.filter(resolved=False, error__startswith=HELD_PREFIX)
