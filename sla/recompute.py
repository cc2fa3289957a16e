"""Due times recomputed after a policy, calendar or holiday changed.

A ticket's due times are computed when it changes (sla/receivers.py); a change
of the rules moves the due times of every working ticket of the queues they
apply to, so those are recomputed here, in the worker (sla/tasks.py), in
batches by number.
"""

from __future__ import annotations

from collections.abc import Iterable

from sla import clocks
from sla.models import Calendar
from tickets.models import ACTIVE_STATUSES, Ticket

BATCH = 500


def queues_of_calendar(calendar: Calendar) -> list[int]:
    return sorted(set(calendar.policies.values_list("queue_id", flat=True)))


def refresh_queues(queue_ids: Iterable[int]) -> int:
    """Recompute the working tickets of these queues; how many there were."""
    queue_ids = sorted(set(queue_ids))
    if not queue_ids:
        return 0
    refreshed = 0
    last = 0
    while True:
        numbers = list(
            Ticket.objects.filter(
                queue_id__in=queue_ids, status__in=ACTIVE_STATUSES, number__gt=last
            )
            .order_by("number")
            .values_list("number", flat=True)[:BATCH]
        )
        if not numbers:
            return refreshed
        clocks.refresh_many(numbers)
        refreshed += len(numbers)
        last = numbers[-1]
