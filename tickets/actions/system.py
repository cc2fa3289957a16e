"""What the system does on its own: escalation, mail kept for staff, history notes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.actors import ESCALATION, System
from accounts.models import User
from tickets import signals
from tickets.actions.core import (
    Change,
    Conflict,
    editing,
    number_of,
    require_staff,
    write_events,
)
from tickets.files import IncomingFile
from tickets.models import (
    ESCALATING_STATUSES,
    Event,
    EventCode,
    Message,
    MessageKind,
    MessageSource,
    Ticket,
)
from tickets.visibility import visible_to_actor


def escalate(*, ticket: Ticket | int, expected_version: int, now: datetime) -> Ticket | None:
    """Raise an unanswered ticket's priority by its queue's steps due by ``now`` (S9).

    Run by the escalation job; the expected version makes a second consumer that
    read the same row skip it instead of escalating twice.
    """
    try:
        with editing(
            ticket, actor=ESCALATION, expected_version=expected_version, signal=signals.escalated
        ) as edit:
            locked = edit.ticket
            queue = locked.queue
            start = locked.escalated_at or locked.waiting_since
            if (
                locked.is_answered
                or locked.status not in ESCALATING_STATUSES
                or not queue.escalation_step
                or queue.escalation_interval is None
                or start is None
                or locked.priority >= 99
            ):
                return None
            steps = int((now - start) / queue.escalation_interval)
            if steps < 1:
                return None
            new_priority = min(99, locked.priority + steps * queue.escalation_step)
            edit.set("priority", new_priority, code="escalation")
            # A system rise, kept in the history: "Last modified" stays the people's and mail's.
            edit.touches_modified = False
            edit.set_quietly(escalated_at=start + steps * queue.escalation_interval)
    except (Conflict, Ticket.DoesNotExist):
        return None
    return edit.ticket


def escalate_before_breach(
    *, ticket: Ticket | int, expected_version: int, now: datetime
) -> Ticket | None:
    """Raise a ticket's priority by its queue's step once its next due time is within
    the queue's warning window (service levels, S9 following the SLA).

    Once per due time: a ticket escalated since the window opened waits for a later
    due time. None when nothing was due, or another consumer got there first.
    """
    try:
        with editing(
            ticket, actor=ESCALATION, expected_version=expected_version, signal=signals.escalated
        ) as edit:
            locked = edit.ticket
            queue = locked.queue
            due = locked.next_due_at
            if (
                due is None
                or not queue.escalation_follows_service_level
                or not queue.escalation_step
                or locked.status not in ESCALATING_STATUSES
                or locked.priority >= 99
            ):
                return None
            window_opens = due - timedelta(minutes=queue.escalation_warning_minutes)
            if now < window_opens or (
                locked.escalated_at is not None and locked.escalated_at >= window_opens
            ):
                return None
            edit.set(
                "priority", min(99, locked.priority + queue.escalation_step), code="escalation"
            )
            edit.touches_modified = False
            edit.set_quietly(escalated_at=now)
    except (Conflict, Ticket.DoesNotExist):
        return None
    return edit.ticket


def add_system_note(
    *,
    actor: System,
    ticket: Ticket | int,
    code: str,
    text: str,
    author: User | None = None,
    author_email: str = "",
    html: str = "",
    message_id: str = "",
    attachments: Iterable[IncomingFile] = (),
) -> Message:
    """Mail kept on a ticket for staff only: a bounce, an out-of-office reply, staff
    writing by e-mail (``author``, as the mail gateway found them). It changes
    neither status nor answered state, so automatic mail never reopens a ticket
    (RFC 3834)."""
    with editing(ticket, actor=actor, signal=signals.system_note_added) as edit:
        edit.record(code, new=author_email)
        message = edit.add_message(
            kind=MessageKind.NOTE,
            text=text,
            author=author,
            html=html,
            author_email=author_email,
            source=MessageSource.EMAIL,
            message_id=message_id,
            attachments=attachments,
        )
    return message


@transaction.atomic
def record_system_event(
    *, actor: System, ticket: Ticket | int, code: str, old: str = "", new: str = ""
) -> Event:
    """A history line that changes no ticket field (an automatic mail held back, a
    mail sent on to a new ticket); the version stays, so no open form conflicts."""
    number = number_of(ticket)
    version = Ticket.objects.filter(number=number).values_list("version", flat=True).get()
    stub = Ticket(number=number)
    (event,) = write_events(
        stub, actor, [Change(code, old, new)], signals.system_event_recorded, version=version
    )
    return event


@transaction.atomic
def record_view_as(*, actor: User, ticket: Ticket | int, customer: str, did: str = "") -> Event:
    """A history line by a staff member who opened the portal as the customer ``customer``
    (an address) from this ticket, or who confirmed ``did`` (what the portal would have
    done) as that customer. It changes no field and keeps the version, so no open form
    conflicts; only staff who see the ticket may write it."""
    require_staff(actor)
    number = number_of(ticket)
    try:
        version = visible_to_actor(actor).values_list("version", flat=True).get(number=number)
    except Ticket.DoesNotExist:
        if Ticket.objects.filter(number=number).exists():
            raise PermissionDenied(f"You may not see ticket #{number}.") from None
        raise
    # Viewing names the customer; acting keeps the customer as the old value and
    # what was done as the new one (tickets/history.py words the two apart).
    if did:
        change = Change(EventCode.VIEWED_AS_CUSTOMER, customer, did)
    else:
        change = Change(EventCode.VIEWED_AS_CUSTOMER, "", customer)
    (event,) = write_events(
        Ticket(number=number), actor, [change], signals.viewed_as_customer, version=version
    )
    return event


@transaction.atomic
def record_decryption(
    *, actor: User, ticket: Ticket | int, message: Message, part: int = 0, attachment: str = ""
) -> Event:
    """A history line by a staff member about to be shown the decrypted ``part`` (from 1)
    of a message's PGP-protected information (S35), or its encrypted ``attachment``
    (a file name), written before it is shown. Only
    staff who see the ticket may write it (an agent who lost the ticket is refused).
    It changes no field and keeps the version, so the answer being typed on the
    same page does not conflict; the plain text is never part of it."""
    require_staff(actor)
    number = number_of(ticket)
    if message.ticket_id != number:
        raise PermissionDenied("This message is not on this ticket.")
    try:
        version = visible_to_actor(actor).values_list("version", flat=True).get(number=number)
    except Ticket.DoesNotExist:
        if Ticket.objects.filter(number=number).exists():
            raise PermissionDenied(f"You may not see ticket #{number}.") from None
        raise
    what = f"attachment {attachment}" if attachment else f"part {part}"
    change = Change(EventCode.DECRYPTED, "", f"message {message.pk}, {what}")
    (event,) = write_events(
        Ticket(number=number), actor, [change], signals.decrypted, version=version
    )
    return event
