"""Due times kept current: a receiver of the domain signals (sent on commit).

Each change of a ticket recomputes its due times from its stored state and
history (sla/clocks.py) and writes them through tickets/due_times.py, which
bumps no version. The lists then sort and label by the stored columns: nothing
is recomputed per page. Changes that cannot move a clock (a note, a view as the
customer, a decryption, an assignment) are skipped.
"""

from __future__ import annotations

import logging
from typing import Any

from sla import clocks
from tickets import signals

log = logging.getLogger(__name__)

#: Kinds of change after which no due time can differ.
UNMOVING = frozenset({"note_added", "viewed_as_customer", "decrypted", "system_event_recorded"})


def connect() -> None:
    for signal in signals.ALL:
        if signal.kind in UNMOVING or signal.kind == "deleted":
            continue
        signal.connect(ticket_changed, weak=False, dispatch_uid=f"sla.{signal.kind}")


def ticket_changed(sender: Any, change: signals.TicketChange, **kwargs: Any) -> None:
    clocks.refresh(change.number)
