"""Domain signals: one for every kind of change of a ticket, sent after it committed.

Whatever reacts to changes (the search index, webhooks, notifications, due
times, reports) connects here, never to model saves. Each receiver gets
``change``, a ``TicketChange`` with the ticket number and the ids of the events
the change wrote, so it can read exactly what happened. A receiver that raises
is logged and does not stop the others: the change itself has committed.

Receivers that do better with many changes at once (the reports' figures, due
times) connect to ``committed`` instead: it brings every change of a commit
in one list, before the kinds' own signals are sent. A transaction that
changes many tickets (a mass action's batch) wraps them in ``batch()`` so
that they arrive in one list; otherwise each change comes alone.

Rows that must commit together with the change (the mail outbox) use
tickets/hooks.py instead.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
#: a ticket merged into another (S43): sent for each of the two; ``codes`` says which
#: side (``merged_into`` the closed one, ``merged_from`` the survivor)
merged = DomainSignal("merged")
#: a message split off into a new ticket (S43): for the ticket it left; the new
#: ticket is announced as ``opened``
split = DomainSignal("split")

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
    merged,
    split,
)


#: Every committed change, as a list ``changes`` of ``(signal, change)`` pairs:
#: one pair, or a whole ``batch()``. Sent before the kinds' own signals.
committed = Signal()

Sent = tuple[DomainSignal, TicketChange]


@dataclass
class _Batch:
    sent: list[Sent] = field(default_factory=list)
    # Which of them committed: their savepoint's marker ran (see ``batch``).
    kept: set[int] = field(default_factory=set)


_local = threading.local()


def send_on_commit(signal: DomainSignal, change: TicketChange) -> None:
    """Send once the current transaction commits; nothing if it rolls back."""
    current: _Batch | None = getattr(_local, "batch", None)
    if current is None:
        transaction.on_commit(partial(_send, [(signal, change)]))
        return
    index = len(current.sent)
    current.sent.append((signal, change))
    # Registered where the change was made: a savepoint rolled back drops it.
    transaction.on_commit(partial(current.kept.add, index))


@contextmanager
def batch() -> Iterator[None]:
    """Changes made inside come to ``committed`` receivers as one list, at the commit.

    Used inside the transaction (a mass action's batch): each change still
    registers a marker where it was made, so one whose savepoint rolled back
    (a refused ticket) is left out; the sending is registered when the block
    ends, after every marker, and so runs after them."""
    if getattr(_local, "batch", None) is not None:
        yield
        return
    current = _Batch()
    _local.batch = current
    try:
        yield
    finally:
        _local.batch = None
    transaction.on_commit(partial(_send_kept, current))


def _send_kept(current: _Batch) -> None:
    _send([sent for index, sent in enumerate(current.sent) if index in current.kept])


def _send(changes: list[Sent]) -> None:
    from tickets.models import Ticket

    if not changes:
        return
    for receiver, result in committed.send_robust(sender=Ticket, changes=changes):
        if isinstance(result, Exception):
            log.error(
                "receiver %r of the committed changes failed for tickets %s",
                receiver,
                ", ".join(f"#{change.number}" for _signal, change in changes[:20]),
                exc_info=result,
            )
    for signal, change in changes:
        for receiver, result in signal.send_robust(sender=Ticket, change=change):
            if isinstance(result, Exception):
                log.error(
                    "receiver %r of %s failed for ticket #%s",
                    receiver,
                    signal.kind,
                    change.number,
                    exc_info=result,
                )
