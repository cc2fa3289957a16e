"""Closing and reopening: staff and the customer's own people may (S33)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import Actor, System
from accounts.models import User
from tickets import signals
from tickets.actions.core import (
    EachOutcome,
    Edit,
    edit_each,
    editing,
    require_customer_or_staff,
    require_staff,
)
from tickets.models import ACTIVE_STATUSES, DONE_STATUSES, Event, EventCode, Status, Ticket


def close(
    *,
    actor: Actor,
    ticket: Ticket | int,
    expected_version: int | None = None,
    tell_customer: bool = True,
    notice_delay: timedelta | None = None,
) -> Ticket:
    """Close the ticket. A customer closing one support resolved or closed already
    confirms it: the portal then lists it as closed instead of answered (S33).
    ``tell_customer=False`` sends the customer no notice (a quiet mass close);
    ``notice_delay`` holds the notice back that long (while the close may be undone)."""
    require_customer_or_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.closed
    ) as edit:
        _close(edit, tell_customer=tell_customer, notice_delay=notice_delay)
    return edit.ticket


def close_each(
    *,
    actor: Actor,
    selection: Sequence[tuple[int, int | None]],
    tell_customer: bool = True,
) -> EachOutcome:
    """``close`` for many tickets in one transaction (a mass close's batch): each
    ticket as ``close`` closes it, saved together (``core.edit_each``)."""
    require_customer_or_staff(actor)
    return edit_each(
        selection,
        actor=actor,
        signal=signals.closed,
        change=partial(_close, tell_customer=tell_customer, notice_delay=None),
    )


def _close(edit: Edit, *, tell_customer: bool, notice_delay: timedelta | None) -> None:
    edit.tell_customer = tell_customer
    edit.notice_delay = notice_delay
    actor, locked = edit.actor, edit.ticket
    if (
        not isinstance(actor, System)
        and actor.staff is None
        and locked.status in DONE_STATUSES
        and not _confirmed_by_customer(locked)
    ):
        edit.record(EventCode.CUSTOMER_CLOSED)
    edit.set_status(Status.CLOSED)


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


def undo_close(*, actor: User, ticket: Ticket | int, expected_version: int) -> Ticket:
    """Take back the close that made the ticket's current version: it returns to the
    status it had before. ``expected_version`` is the version the close made, so a
    change since (an answer, a reply, another close) is a ``Conflict`` and the ticket
    stays as it is. Only who closed it, or a supervisor, may; a closing notice that
    has not begun to go out is withdrawn (the mail hooks)."""
    staff = require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.reopened
    ) as edit:
        locked = edit.ticket
        made = list(Event.objects.filter(ticket_id=locked.pk, version=locked.version))
        _undo_close(edit, made, may_undo_others=staff is not None and staff.is_supervising)
    return edit.ticket


def undo_close_each(*, actor: User, selection: Sequence[tuple[int, int]]) -> EachOutcome:
    """``undo_close`` for many tickets in one transaction (the undo of a mass close):
    each ticket with the version its close made."""
    staff = require_staff(actor)
    wanted = {(number, version) for number, version in selection}
    # The events of each version the closes made, read at once: a version's events
    # never change, and a ticket whose version moved since is a conflict anyway.
    made: dict[tuple[int, int], list[Event]] = {}
    for event in Event.objects.filter(
        ticket_id__in={number for number, _version in wanted},
        version__in={version for _number, version in wanted},
    ).order_by("pk"):
        if (event.ticket_id, event.version) in wanted:
            made.setdefault((event.ticket_id, event.version), []).append(event)
    may_undo_others = staff is not None and staff.is_supervising

    def undo(edit: Edit) -> None:
        key = (edit.ticket.pk, edit.ticket.version)
        _undo_close(edit, made.get(key, []), may_undo_others=may_undo_others)

    return edit_each(list(selection), actor=actor, signal=signals.reopened, change=undo)


def _undo_close(edit: Edit, made: list[Event], *, may_undo_others: bool) -> None:
    """``made``: the events of the ticket's current version."""
    locked = edit.ticket
    # The close alone made this version: a merge also closes, and is not undone here.
    closing = made[0] if len(made) == 1 else None
    if closing is None or closing.code != EventCode.STATUS or closing.new != Status.CLOSED:
        raise ValidationError(
            f"The last change of ticket #{locked.number} was not a close; nothing was undone."
        )
    actor = edit.actor
    if not (isinstance(actor, User) and closing.actor_id == actor.pk) and not may_undo_others:
        raise PermissionDenied("Only who closed the ticket, or a supervisor, may undo it.")
    edit.set_status(closing.old or Status.REOPENED)
    # Its notice, if not yet gone, is withdrawn with the others of the batch (the hooks).
    edit.undone_closing = closing
