"""Opening a ticket: by mail, in the portal, by staff, through the API."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.actors import Actor, System
from accounts.models import Account, Contact
from tickets import hooks, signals, stored_files
from tickets.actions.core import (
    Change,
    add_message,
    check_cc,
    check_email,
    check_priority,
    check_title,
    require_staff,
    write_events,
)
from tickets.files import IncomingFile
from tickets.models import (
    HelpdeskSettings,
    MessageKind,
    MessageSource,
    Queue,
    Status,
    Ticket,
    TicketType,
)
from tickets.visibility import may_open_in

_SOURCE_OF_TYPE = {
    TicketType.EMAIL: MessageSource.EMAIL,
    TicketType.API: MessageSource.API,
    TicketType.SYSTEM: MessageSource.SYSTEM,
    TicketType.PORTAL: MessageSource.PORTAL,
}


def default_queue() -> Queue:
    queue = Queue.objects.filter(is_default=True).first() or Queue.objects.first()
    if queue is None:
        raise ValidationError({"queue": "There is no queue to put the ticket in."})
    return queue


@stored_files.atomic()
def open_ticket(
    *,
    actor: Actor,
    title: str,
    requester_email: str,
    text: str,
    type: str,
    queue: Queue | None = None,
    account: Account | None = None,
    priority: int | None = None,
    cc: Iterable[str] = (),
    html: str = "",
    message_id: str = "",
    attachments: Iterable[IncomingFile] = (),
    send_confirmation: bool = True,
) -> Ticket:
    """Open a ticket with its first message, written by (or for) the requester."""
    if type not in TicketType.values:
        raise ValidationError({"type": f"{type!r} is not a ticket type."})
    if not isinstance(actor, System) and actor.staff is None:
        if not actor.is_active:
            raise PermissionDenied("Only active customers may open tickets.")
        # A customer always writes for themselves and their own account (if any).
        contact = actor.contact
        account = contact.account if contact is not None else None
        requester_email, type = actor.email, TicketType.PORTAL
    else:
        require_staff(actor)
    title = check_title(title)
    requester_email = check_email("requester_email", requester_email)
    if priority is None:
        priority = HelpdeskSettings.load().priority_normal
    check_priority(priority)
    if account is None:
        contact = Contact.objects.filter(email__same=requester_email).first()
        account = contact.account if contact else None
    queue = queue or default_queue()
    if not may_open_in(actor, queue):
        raise PermissionDenied(f"This integration may not open tickets in {queue}.")
    now = timezone.now()
    ticket = Ticket.objects.create(
        title=title,
        queue=queue,
        requester_email=requester_email,
        account=account,
        status=Status.NEW,
        type=type,
        priority=priority,
        cc=check_cc(cc),
        created_at=now,
        modified_at=now,
        waiting_since=now,
    )
    message = add_message(
        ticket,
        kind=MessageKind.CUSTOMER,
        text=text,
        html=html,
        author=actor,
        author_email=requester_email,
        source=_SOURCE_OF_TYPE.get(TicketType(type), MessageSource.WEB),
        message_id=message_id,
        attachments=attachments,
    )
    write_events(ticket, actor, [Change("created", new=ticket.queue)], signals.opened, version=1)
    hooks.ticket_opened.send(
        sender=Ticket, ticket=ticket, message=message, send_confirmation=send_confirmation
    )
    return ticket
