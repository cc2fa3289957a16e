"""Moving a ticket to another queue."""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial

from django.core.exceptions import PermissionDenied

from accounts.actors import Actor, System
from tickets import signals
from tickets.actions.core import EachOutcome, Edit, edit_each, editing, require_supervisor
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
        _move(edit, queue, _entitled(actor))
    return edit.ticket


def move_each(
    *, actor: Actor, selection: Sequence[tuple[int, int | None]], queue: Queue
) -> EachOutcome:
    """``move`` for many tickets in one transaction (a mass move's batch)."""
    require_supervisor(actor)
    return edit_each(
        selection,
        actor=actor,
        signal=signals.moved,
        change=partial(_move, queue=queue, entitled=_entitled(actor)),
    )


def _entitled(actor: Actor) -> set[int] | None:
    """The queues a person may move tickets between; None: any (the system)."""
    if isinstance(actor, System):
        return None
    return set(visible_queues(actor).values_list("pk", flat=True))


def _move(edit: Edit, queue: Queue, entitled: set[int] | None) -> None:
    if edit.ticket.queue_id == queue.pk:
        return
    if entitled is not None and not {edit.ticket.queue_id, queue.pk} <= entitled:
        raise PermissionDenied(
            f"You may move tickets only between queues you are entitled to; "
            f"{edit.ticket.queue} → {queue} is not."
        )
    if not may_open_in(edit.actor, queue):
        raise PermissionDenied(f"This integration may not move tickets to {queue}.")
    edit.set("queue", queue)
