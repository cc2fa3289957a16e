"""The one writer of a ticket's service-level due times (sla/ computes them).

Due times follow from changes (sla/receivers.py hears them): they are no change
of their own, so they bump no version and leave "Last modified" and the history
alone, and touch no other column. A ticket deleted meanwhile is no error.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tickets.models import Ticket


@dataclass(frozen=True)
class DueTimes:
    first_response: datetime | None = None
    next_response: datetime | None = None
    resolution: datetime | None = None

    @property
    def next(self) -> datetime | None:
        """The earliest running target: what the lists sort and label by."""
        running = [
            each for each in (self.first_response, self.next_response, self.resolution) if each
        ]
        return min(running, default=None)


def store_many_due_times(due: dict[int, DueTimes]) -> None:
    """Write each ticket's (by number) due times, in a few statements; a ticket gone
    meanwhile is no error."""
    Ticket.objects.bulk_update(
        [
            Ticket(
                number=number,
                first_response_due_at=times.first_response,
                next_response_due_at=times.next_response,
                resolution_due_at=times.resolution,
                next_due_at=times.next,
            )
            for number, times in sorted(due.items())
        ],
        ["first_response_due_at", "next_response_due_at", "resolution_due_at", "next_due_at"],
        batch_size=200,
    )


def clear_due_times(numbers: list[int]) -> int:
    """Take the due times of these tickets away (they were resolved or closed)."""
    return Ticket.objects.filter(number__in=numbers).update(
        first_response_due_at=None,
        next_response_due_at=None,
        resolution_due_at=None,
        next_due_at=None,
    )


def stored_due_times(ticket: Ticket) -> DueTimes:
    return DueTimes(
        first_response=ticket.first_response_due_at,
        next_response=ticket.next_response_due_at,
        resolution=ticket.resolution_due_at,
    )
