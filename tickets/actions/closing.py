"""Closing and reopening: staff and the customer's own people may (S33)."""

from __future__ import annotations

from accounts.actors import Actor, System
from tickets import signals
from tickets.actions.core import editing, require_customer_or_staff
from tickets.models import ACTIVE_STATUSES, DONE_STATUSES, Event, EventCode, Status, Ticket


def close(
    *,
    actor: Actor,
    ticket: Ticket | int,
    expected_version: int | None = None,
    tell_customer: bool = True,
) -> Ticket:
    """Close the ticket. A customer closing one support resolved or closed already
    confirms it: the portal then lists it as closed instead of answered (S33).
    ``tell_customer=False`` sends the customer no notice (a quiet mass close)."""
    require_customer_or_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.closed
    ) as edit:
        edit.tell_customer = tell_customer
        locked = edit.ticket
        if (
            not isinstance(actor, System)
            and actor.staff is None
            and locked.status in DONE_STATUSES
            and not _confirmed_by_customer(locked)
        ):
            edit.record(EventCode.CUSTOMER_CLOSED)
        edit.set_status(Status.CLOSED)
    return edit.ticket


def _confirmed_by_customer(ticket: Ticket) -> bool:
    """Has a customer closed it since support did? (Closing twice records nothing.)"""
    confirmations = Event.objects.filter(ticket_id=ticket.pk, code=EventCode.CUSTOMER_CLOSED)
    if ticket.closed_at is not None:
        confirmations = confirmations.filter(created_at__gte=ticket.closed_at)
    return confirmations.exists()


def reopen(*, actor: Actor, ticket: Ticket | int, expected_version: int | None = None) -> Ticket:
    require_customer_or_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.reopened
    ) as edit:
        if edit.ticket.status not in ACTIVE_STATUSES:
            edit.set_status(Status.REOPENED)
    return edit.ticket
