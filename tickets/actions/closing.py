"""Closing and reopening: staff and the customer's own people may (S33)."""

from __future__ import annotations

from accounts.actors import Actor
from tickets import signals
from tickets.actions.core import editing, require_customer_or_staff
from tickets.models import ACTIVE_STATUSES, Status, Ticket


def close(*, actor: Actor, ticket: Ticket | int, expected_version: int | None = None) -> Ticket:
    require_customer_or_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.closed
    ) as edit:
        edit.set_status(Status.CLOSED)
    return edit.ticket


def reopen(*, actor: Actor, ticket: Ticket | int, expected_version: int | None = None) -> Ticket:
    require_customer_or_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.reopened
    ) as edit:
        if edit.ticket.status not in ACTIVE_STATUSES:
            edit.set_status(Status.REOPENED)
    return edit.ticket
