"""Domain signals: one for every kind of change of a ticket, sent after it committed.

Whatever reacts to changes (the search index, webhooks, notifications, due
times, reports) connects here, never to model saves. Each receiver gets
``change``, a ``TicketChange`` with the ticket number and the ids of the events
the change wrote, so it can read exactly what happened. A receiver that raises
is logged and does not stop the others: the change itself has committed.

Rows that must commit together with the change (the mail outbox) use
tickets/hooks.py instead.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.dispatch import Signal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TicketChange:
    """What one action did to one ticket."""

    kind: str
    number: int
    # Events the action wrote, in order; empty for a deleted ticket (its history went with it).
    event_ids: tuple[int, ...]
    # Their codes: which fields changed ("status", "priority", ...).
    codes: frozenset[str]
    # Who acted: a person's id, or the system's code (see accounts/actors.py).
    actor_id: int | None
    system: str


class DomainSignal(Signal):
    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind

    def __repr__(self) -> str:
        return f"<DomainSignal {self.kind}>"


opened = DomainSignal("opened")
customer_replied = DomainSignal("customer_replied")
answered = DomainSignal("answered")
note_added = DomainSignal("note_added")
picked_up = DomainSignal("picked_up")
assigned = DomainSignal("assigned")
released = DomainSignal("released")
#: status, priority, sticky, title or requester e-mail; ``codes`` says which
properties_changed = DomainSignal("properties_changed")
moved = DomainSignal("moved")
account_changed = DomainSignal("account_changed")
closed = DomainSignal("closed")
reopened = DomainSignal("reopened")
deleted = DomainSignal("deleted")
escalated = DomainSignal("escalated")
#: mail kept on a ticket for staff: a bounce, an automatic reply, staff mail
system_note_added = DomainSignal("system_note_added")
#: a history line that changes nothing else (an automatic mail held back, ...)
system_event_recorded = DomainSignal("system_event_recorded")
#: a staff member viewed the ticket in the portal as a customer, or acted as them
viewed_as_customer = DomainSignal("viewed_as_customer")
#: a staff member was shown PGP-protected information of a message (S35)
decrypted = DomainSignal("decrypted")

ALL: tuple[DomainSignal, ...] = (
    opened,
    customer_replied,
    answered,
    note_added,
    picked_up,
    assigned,
    released,
    properties_changed,
    moved,
    account_changed,
    closed,
    reopened,
    deleted,
    escalated,
    system_note_added,
    system_event_recorded,
    viewed_as_customer,
    decrypted,
)


def send_on_commit(signal: DomainSignal, change: TicketChange) -> None:
    """Send once the current transaction commits; nothing if it rolls back."""
    transaction.on_commit(partial(_send, signal, change))


def _send(signal: DomainSignal, change: TicketChange) -> None:
    from tickets.models import Ticket

    for receiver, result in signal.send_robust(sender=Ticket, change=change):
        if isinstance(result, Exception):
            log.error(
                "receiver %r of %s failed for ticket #%s",
                receiver,
                signal.kind,
                change.number,
                exc_info=result,
            )
