"""Who works on a ticket: pick up (first come, first served), assign, release."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied

from accounts.actors import Actor
from accounts.models import User
from tickets import signals
from tickets.actions.core import (
    AlreadyAssigned,
    EachOutcome,
    check_assignee,
    edit_each,
    editing,
    require_staff,
    require_supervisor,
)
from tickets.models import Ticket


def pick_up(*, actor: Actor, ticket: Ticket | int) -> Ticket:
    """First come, first served: the second supervisor is told who has it."""
    if not isinstance(actor, User):
        # An integration's token has no person to take the ticket: it assigns.
        raise PermissionDenied("Only a person picks up a ticket.")
    require_supervisor(actor)
    with editing(ticket, actor=actor, signal=signals.picked_up) as edit:
        holder = edit.ticket.assignee
        if holder is not None and holder.pk != actor.pk:
            raise AlreadyAssigned(edit.ticket, holder)
        edit.set_assignee(actor)
    return edit.ticket


def assign(
    *,
    actor: Actor,
    ticket: Ticket | int,
    assignee: User | None,
    expected_version: int | None = None,
) -> Ticket:
    require_supervisor(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.assigned
    ) as edit:
        if assignee is not None:
            check_assignee(assignee)
        edit.set_assignee(assignee)
    return edit.ticket


def assign_each(
    *, actor: Actor, selection: Sequence[tuple[int, int | None]], assignee: User | None
) -> EachOutcome:
    """``assign`` for many tickets in one transaction (a mass assignment's batch)."""
    require_supervisor(actor)
    if assignee is not None:
        check_assignee(assignee)
    return edit_each(
        selection,
        actor=actor,
        signal=signals.assigned,
        change=lambda edit: edit.set_assignee(assignee),
    )


def release(*, actor: Actor, ticket: Ticket | int, expected_version: int | None = None) -> Ticket:
    """Back to the unassigned list: supervisors, or the assignee giving it back."""
    staff = require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.released
    ) as edit:
        if (
            staff is not None
            and not staff.is_supervising
            and edit.ticket.assignee_id != staff.user_id
        ):
            raise PermissionDenied("Only supervisors may release somebody else's ticket.")
        edit.set_assignee(None)
    return edit.ticket
