"""The roll-ups hear of every change that can move a ticket's figures.

Synchronous, after the commit, like the search index: the changed tickets'
facts and the tally rows they move, for a whole commit at once (a mass
action's batch of a thousand tickets is one refresh). A failure is logged by
the signal (tickets/signals.py) and mended by ``frontdesk reports rebuild``.
"""

from __future__ import annotations

from typing import Any

from reports import facts
from tickets import signals
from tickets.signals import TicketChange

#: What a change must have written to move a figure: a new ticket, an answer (the
#: first one is a first response), a status, an assignee or a queue. A deleted
#: ticket has no events left and is always heard. A merge or split moves answers
#: between tickets (first responses) and a merged ticket leaves the figures. The
#: account moves the figures by account; a customer's reply starts a next-response
#: clock and the priority chooses the service level (attainment).
FIGURE_CODES = frozenset(
    {
        "created",
        "answer",
        "status",
        "assignee",
        "queue",
        "account",
        "priority",
        "customer_message",
        "merged_into",
        "merged_from",
        "split_off",
        "split_from",
    }
)
#: Signals that never move one: heard by nothing here. (An escalation's new
#: priority may choose another service level: it is heard.)
NO_FIGURES = frozenset(
    {
        signals.note_added,
        signals.system_note_added,
        signals.system_event_recorded,
        signals.viewed_as_customer,
        signals.decrypted,
    }
)


def moves_figures(signal: signals.DomainSignal, change: TicketChange) -> bool:
    return signal is signals.deleted or bool(change.codes & FIGURE_CODES)


def tickets_changed(sender: Any, changes: list[signals.Sent], **_: Any) -> None:
    numbers = [
        change.number
        for signal, change in changes
        if signal not in NO_FIGURES and moves_figures(signal, change)
    ]
    if numbers:
        facts.refresh_many(numbers)


def connect() -> None:
    signals.committed.connect(tickets_changed, dispatch_uid="reports")
