"""Moving a ticket to another queue."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from accounts.actors import Actor, System
from tickets import signals
from tickets.actions.core import editing, require_supervisor
from tickets.models import Queue, Ticket
from tickets.visibility import may_open_in, visible_queues


def move(
    *,
    actor: Actor,
    ticket: Ticket | int,
    queue: Queue,
    expected_version: int | None = None,
) -> Ticket:
    """Supervisors entitled to both queues, and administrators, move a ticket (S22, S25)."""
    require_supervisor(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.moved
    ) as edit:
        if edit.ticket.queue_id == queue.pk:
            return edit.ticket
        if not isinstance(actor, System):
            entitled = set(visible_queues(actor).values_list("pk", flat=True))
            if not {edit.ticket.queue_id, queue.pk} <= entitled:
                raise PermissionDenied(
                    f"You may move tickets only between queues you are entitled to; "
                    f"{edit.ticket.queue} → {queue} is not."
                )
        if not may_open_in(actor, queue):
            raise PermissionDenied(f"This integration may not move tickets to {queue}.")
        edit.set("queue", queue)
    return edit.ticket
