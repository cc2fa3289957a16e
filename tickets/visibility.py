"""The one visibility rule (S2). Every read of tickets starts here.

Staff see tickets in the queues they are entitled to, tickets in the default
queue and tickets assigned to them; an administrator sees every ticket; a
plain agent sees only tickets assigned to them. A customer sees the tickets of
their own account; somebody who wrote to support without being a contact of
an account (they signed in through a link in our mail, or registered with a
verified address) sees the tickets they asked for, by their address. Anybody
else, and anybody deactivated, sees nothing.
Surfaces read through tickets/queries.py, which starts from here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.actors import Actor, Integration, System
from accounts.models import Role, StaffProfile, User
from tickets.models import PUBLIC_KINDS, Attachment, Message, Queue, Ticket

#: Who reads: a person, or an integration through its API token (its queues only).
Person = User | AnonymousUser | Integration


def _active(user: Person) -> User | None:
    if isinstance(user, User) and user.is_active:
        return user
    return None


def _entitled_queues(staff: StaffProfile) -> QuerySet[Queue]:
    return Queue.objects.filter(Q(is_default=True) | Q(staff=staff))


def visible_tickets(user: Person) -> QuerySet[Ticket]:
    tickets = Ticket.objects.all()
    if isinstance(user, Integration):
        # An integration token's scope: the tickets of its queues, whoever has them.
        return tickets.filter(queue_id__in=sorted(user.queue_ids))
    person = _active(user)
    if person is None:
        return tickets.none()
    staff = person.staff
    if staff is not None:
        if staff.role == Role.ADMIN:
            return tickets
        if staff.role == Role.AGENT:
            return tickets.filter(assignee=person)
        # A subquery, not a join: no duplicate rows, and SELECT ... FOR UPDATE
        # stays possible on the result.
        queues = _entitled_queues(staff).values("pk")
        return tickets.filter(Q(queue__in=queues) | Q(assignee=person))
    contact = person.contact
    if contact is None:
        # Addresses are stored lower-case: the requester index serves this.
        return tickets.filter(requester_email=person.email.lower())
    return tickets.filter(account_id=contact.account_id)


def visible_to_actor(actor: Actor) -> QuerySet[Ticket]:
    """What an action may lock: a person's visible tickets; for the system, every ticket;
    for an integration, the tickets of its queues if its token may write, else none."""
    if isinstance(actor, Integration):
        return visible_tickets(actor) if actor.can_write else Ticket.objects.none()
    if isinstance(actor, System):
        return Ticket.objects.all()
    return visible_tickets(actor)


def visible_unassigned(user: Person) -> QuerySet[Ticket]:
    """The unassigned tickets a person sees: ``visible_tickets(user)`` without an assignee.

    The same rule, written without the "assigned to them" branch, which an
    unassigned ticket can never meet: without that OR the planner can serve the
    unassigned list and count from indexes instead of scanning every ticket.
    tests/test_visibility.py holds the two equal for every role.
    """
    person = _active(user)
    staff = person.staff if person is not None else None
    if staff is not None and staff.role == Role.SUPERVISOR:
        queues = _entitled_queues(staff).values("pk")
        return Ticket.objects.filter(queue__in=queues, assignee__isnull=True)
    return visible_tickets(user).filter(assignee__isnull=True)


def visible_assigned(user: Person) -> QuerySet[Ticket]:
    """The tickets assigned to the person that they see: ``visible_tickets(user)``
    with them as the assignee.

    Staff of every role see the tickets assigned to them, so for staff this is the
    assignee alone, written without the supervisor's queue branch: with that OR the
    planner reads each of the person's tickets from the table to test its queue
    instead of counting and sorting them in the ``ticket_assignee`` index.
    tests/test_visibility.py holds the two equal for every role.
    """
    person = _active(user)
    if person is not None and person.staff is not None:
        return Ticket.objects.filter(assignee=person)
    if person is None:
        return Ticket.objects.none()
    return visible_tickets(user).filter(assignee=person)


def visible_in_parts(user: Person) -> list[QuerySet[Ticket]]:
    """``visible_tickets(user)`` as disjoint parts without an OR, for counting.

    A supervisor sees the tickets of their queues or assigned to them: one
    condition with an OR, which both planners answer by reading every ticket of
    those queues and testing the rest row by row. As two parts (the queues; the
    tickets assigned to them elsewhere) each is a range of an index, and counts
    over the parts add up to the count over the rule. tests/test_visibility.py
    holds the parts disjoint and their union equal to the rule for every role.
    """
    person = _active(user)
    staff = person.staff if person is not None else None
    if person is not None and staff is not None and staff.role == Role.SUPERVISOR:
        queues = _entitled_queues(staff).values("pk")
        return [
            Ticket.objects.filter(queue__in=queues),
            Ticket.objects.filter(assignee=person).exclude(queue__in=queues),
        ]
    return [visible_tickets(user)]


def visible_queues(user: Person) -> QuerySet[Queue]:
    """Queues whose unassigned tickets the person sees (supervisors and admins)."""
    person = _active(user)
    staff = person.staff if person is not None else None
    if isinstance(user, Integration):
        return Queue.objects.filter(pk__in=sorted(user.queue_ids))
    if staff is None or staff.role == Role.AGENT:
        return Queue.objects.none()
    if staff.role == Role.ADMIN:
        return Queue.objects.all()
    return _entitled_queues(staff).distinct()


def get_ticket_for(user: Person, number: int) -> Ticket:
    """The ticket if this person may see it; raises Ticket.DoesNotExist otherwise."""
    return visible_tickets(user).select_related("queue", "account", "assignee").get(number=number)


def can_see(user: Person, ticket: Ticket | int) -> bool:
    number = ticket.number if isinstance(ticket, Ticket) else ticket
    return visible_tickets(user).filter(number=number).exists()


def visible_messages(user: Person) -> QuerySet[Message]:
    """Messages of visible tickets; customers never see internal notes."""
    messages = Message.objects.filter(ticket__in=visible_tickets(user).values("pk"))
    person = _active(user)
    if isinstance(user, Integration) or (person is not None and person.staff is None):
        messages = messages.filter(kind__in=PUBLIC_KINDS)
    return messages


def visible_attachments(user: Person) -> QuerySet[Attachment]:
    return Attachment.objects.filter(message__in=visible_messages(user).values("pk"))


def messages_of(user: Person, ticket: Ticket) -> QuerySet[Message]:
    """The messages of a ticket this person was shown by ``get_ticket_for`` (or a
    query built on this rule), read by the ticket's id; customers never see notes.

    DESIGN rule 2: once a ticket is checked, its thread is read by its id. Asking
    ``visible_messages`` again would list, in a subquery, every ticket the
    person may see: half a second for each page at a million tickets.
    """
    messages = Message.objects.filter(ticket_id=ticket.pk)
    if isinstance(user, Integration):
        # Integrations read the conversation; internal notes are for people.
        return messages.filter(kind__in=PUBLIC_KINDS)
    person = _active(user)
    if person is None:
        return messages.none()
    if person.staff is None:
        messages = messages.filter(kind__in=PUBLIC_KINDS)
    return messages


def get_attachment_for(user: Person, pk: int) -> Attachment:
    """The attachment (with its message) if this person may see it; raises
    Attachment.DoesNotExist otherwise.

    One row, with the rule asked about its one ticket (a correlated EXISTS, an
    index look-up), never about every ticket the person may see.
    """
    may_see = Exists(visible_tickets(user).filter(pk=OuterRef("message__ticket_id")))
    attachments = Attachment.objects.select_related("message").filter(may_see, pk=pk)
    person = _active(user)
    if isinstance(user, Integration) or (person is not None and person.staff is None):
        attachments = attachments.filter(message__kind__in=PUBLIC_KINDS)
    return attachments.get()


def may_open_in(actor: Actor, queue: Queue) -> bool:
    """May the actor open a ticket in the queue? An integration only in its own queues,
    with write access; people and the rest of the system as the actions allow."""
    if isinstance(actor, Integration):
        return actor.can_write and queue.pk in actor.queue_ids
    return True
