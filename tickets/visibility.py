"""The one visibility rule (S2). Every read of tickets starts here.

Staff see tickets in the queues they are entitled to, tickets in the default
queue and tickets assigned to them; an administrator sees every ticket; a
plain agent sees only tickets assigned to them. A customer sees the tickets of
their own account. Anybody else, and anybody deactivated, sees nothing.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Role
from tickets.models import PUBLIC_KINDS, Attachment, Message, Queue, Ticket


def visible_tickets(user: Any) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if user is None or not user.is_authenticated or not user.is_active:
        return tickets.none()
    staff = user.staff
    if staff is not None:
        if staff.role == Role.ADMIN:
            return tickets
        if staff.role == Role.AGENT:
            return tickets.filter(assignee=user)
        # A subquery, not a join: no duplicate rows, and SELECT ... FOR UPDATE
        # stays possible on the result.
        queues = Queue.objects.filter(Q(is_default=True) | Q(staff=staff)).values("pk")
        return tickets.filter(Q(queue__in=queues) | Q(assignee=user))
    contact = user.contact
    if contact is None:
        return tickets.none()
    return tickets.filter(account_id=contact.account_id)


def visible_unassigned(user: Any) -> QuerySet[Ticket]:
    """The unassigned tickets a person sees: ``visible_tickets(user)`` without an assignee.

    The same rule, written without the "assigned to them" branch, which an
    unassigned ticket can never meet: without that OR the planner can serve the
    unassigned list and count from indexes instead of scanning every ticket.
    tests/test_visibility.py holds the two equal for every role.
    """
    staff = user.staff if user is not None and user.is_authenticated and user.is_active else None
    if staff is not None and staff.role == Role.SUPERVISOR:
        queues = Queue.objects.filter(Q(is_default=True) | Q(staff=staff)).values("pk")
        return Ticket.objects.filter(queue__in=queues, assignee__isnull=True)
    return visible_tickets(user).filter(assignee__isnull=True)


def visible_queues(user: Any) -> QuerySet[Queue]:
    """Queues whose unassigned tickets the person sees (supervisors and admins)."""
    if user is None or not user.is_authenticated or not user.is_active or user.staff is None:
        return Queue.objects.none()
    if user.staff.role == Role.ADMIN:
        return Queue.objects.all()
    if user.staff.role == Role.AGENT:
        return Queue.objects.none()
    return Queue.objects.filter(Q(is_default=True) | Q(staff=user.staff)).distinct()


def get_ticket_for(user: Any, number: int) -> Ticket:
    """The ticket if this person may see it; raises Ticket.DoesNotExist otherwise."""
    return visible_tickets(user).select_related("queue", "account", "assignee").get(number=number)


def can_see(user: Any, ticket: Ticket) -> bool:
    return visible_tickets(user).filter(pk=ticket.pk).exists()


def visible_messages(user: Any) -> QuerySet[Message]:
    """Messages of visible tickets; customers never see internal notes."""
    messages = Message.objects.filter(ticket__in=visible_tickets(user).values("pk"))
    if user is not None and user.is_authenticated and user.staff is None:
        messages = messages.filter(kind__in=PUBLIC_KINDS)
    return messages


def visible_attachments(user: Any) -> QuerySet[Attachment]:
    return Attachment.objects.filter(message__in=visible_messages(user).values("pk"))
