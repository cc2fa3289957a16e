"""Hooks called inside an action's transaction, for rows that must commit with it.

The mail outbox listens here: an answer's outgoing mail is written in the same
transaction as the answer, so neither exists without the other, even if the
process dies right after the commit. Receivers must be quick and must not talk
to the outside world; everything else listens to the domain signals of
tickets/signals.py, which are sent once the change has committed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.dispatch import Signal

if TYPE_CHECKING:
    from accounts.actors import Actor
    from tickets.models import Ticket

#: ticket, message, send_confirmation (False for staff tickets with "send no confirmation")
ticket_opened = Signal()
#: ticket, message (a customer follow-up, an answer, a note or a system note)
message_added = Signal()


@dataclass(frozen=True)
class StatusChange:
    """One ticket's new status, as the ``statuses_changed`` hook hands it on."""

    ticket: Ticket
    old: str
    new: str
    #: who changed it
    actor: Actor
    #: False: no mail to the customer about it (a quiet mass close)
    tell_customer: bool = True
    #: the closing notice waits this long, while the close may be undone; None: at once
    notice_delay: timedelta | None = None


#: changes (a list of ``StatusChange``): one action's, or a mass action's whole batch,
#: so that a receiver writes its rows for all of them at once
statuses_changed = Signal()
#: undone, a list of (ticket, closing): the Event of each close that was taken back
#: (a notice of it that has not begun to go out is withdrawn); one action's, or a
#: mass undo's whole batch
closes_undone = Signal()
