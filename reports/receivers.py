"""The roll-ups hear of every change that can move a ticket's figures.

Synchronous, after the commit, like the search index: one ticket's fact and a
few tally rows. A failure is logged by the signal (tickets/signals.py) and
mended by ``frontdesk reports rebuild``.
"""

from __future__ import annotations

from typing import Any

from reports import facts
from tickets import signals
from tickets.signals import TicketChange

#: What a change must have written to move a figure: a new ticket, an answer (the
#: first one is a first response), a status, an assignee or a queue. A deleted
#: ticket has no events left and is always heard.
FIGURE_CODES = frozenset({"created", "answer", "status", "assignee", "queue"})
#: Signals that never move one: heard by nothing here.
NO_FIGURES = frozenset(
    {
        signals.note_added,
        signals.escalated,
        signals.system_note_added,
        signals.system_event_recorded,
        signals.viewed_as_customer,
        signals.decrypted,
    }
)


def moves_figures(signal: signals.DomainSignal, change: TicketChange) -> bool:
    return signal is signals.deleted or bool(change.codes & FIGURE_CODES)


def ticket_changed(
    sender: Any, signal: signals.DomainSignal, change: TicketChange, **_: Any
) -> None:
    if moves_figures(signal, change):
        facts.refresh(change.number)


def connect() -> None:
    for signal in signals.ALL:
        if signal not in NO_FIGURES:
            signal.connect(ticket_changed, dispatch_uid=f"reports-{signal.kind}")
