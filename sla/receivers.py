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
    signals.committed.connect(tickets_changed, weak=False, dispatch_uid="sla")


def tickets_changed(sender: Any, changes: list[signals.Sent], **kwargs: Any) -> None:
    numbers = [
        change.number
        for signal, change in changes
        if signal.kind not in UNMOVING and signal.kind != "deleted"
    ]
    if numbers:
        clocks.refresh_many(numbers)
