"""Every read of tickets a surface needs, each starting from tickets/visibility.py.

The panel (and the portal, the API, reports) present what these return; none
of them builds a ticket query of its own (tests/test_boundaries.py). A new
list, count or lookup is a function here, named for what it answers, with its
index noted where it needs one (docs/architecture.md lists the indexes).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OrderBy,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from accounts.models import User
from frontdesk.db import UnicodeLower
from frontdesk.text import one_line
from tickets import history
from tickets.models import (
    ACTIVE_STATUSES,
    DONE_STATUSES,
    Attachment,
    Event,
    EventCode,
    HelpdeskSettings,
    Message,
    MessageKind,
    Queue,
    Status,
    Ticket,
)
from tickets.visibility import (
    Person,
    visible_attachments,
    visible_messages,
    visible_queues,
    visible_tickets,
    visible_unassigned,
)

# Statistics (S15) -------------------------------------------------------------

#: The periods of the statistics table, in the order it shows them.
PERIODS = ("month", "week", "yesterday", "today")


def period_bounds(now: datetime | None = None) -> dict[str, tuple[datetime, datetime | None]]:
    """Start and end of each statistics period in the help desk's own time zone."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return {
        "month": (today.replace(day=1), None),
        "week": (today - timedelta(days=today.weekday()), None),
        "yesterday": (today - timedelta(days=1), today),
        "today": (today, None),
    }


def _created_in(start: datetime, end: datetime | None) -> Q:
    condition = Q(created_at__gte=start)
    if end is not None:
        condition &= Q(created_at__lt=end)
    return condition


def statistics(user: Person, now: datetime | None = None) -> dict[str, int]:
    """S15 in two counting queries, each served by an index; no ticket is loaded.

    The received counts read only the tickets created since the earliest
    period starts (the ``ticket_created`` index, covering); "unassigned now"
    reads the unassigned tickets only (see visible_unassigned).
    """
    bounds = period_bounds(now)
    earliest = min(start for start, _ in bounds.values())
    counts: dict[str, int] = (
        visible_tickets(user)
        .filter(created_at__gte=earliest)
        .aggregate(
            **{
                name: Count("pk", filter=_created_in(start, end))
                for name, (start, end) in bounds.items()
            }
        )
    )
    counts["unassigned"] = unassigned(user).count()
    return counts


# Working lists (S17) ----------------------------------------------------------


def mine(user: User) -> QuerySet[Ticket]:
    """The person's own working tickets (index ``ticket_assignee``)."""
    return visible_tickets(user).filter(assignee=user, status__in=ACTIVE_STATUSES)


def unassigned(user: Person) -> QuerySet[Ticket]:
    """Working tickets nobody has (index ``ticket_assignee_created``, newest first)."""
    return visible_unassigned(user).filter(status__in=ACTIVE_STATUSES)


def received(user: Person, period: str) -> QuerySet[Ticket]:
    """Tickets received in one of ``PERIODS`` (index ``ticket_created``)."""
    start, end = period_bounds()[period]
    return visible_tickets(user).filter(_created_in(start, end))


#: Orderings a list may be sorted by (S17); anything else falls back to the default.
SORT_FIELDS = {
    "title": "title",
    "priority": "priority",
    "created": "created_at",
    "modified": "modified_at",
    "type": "type",
    "status": "status",
}


def clean_sort(requested: str, default: str) -> str:
    """``requested`` ("priority", "-created", ...) if it is allowed, else ``default``."""
    return requested if requested.lstrip("-") in SORT_FIELDS else default


def in_order(tickets: QuerySet[Ticket], sort: str) -> QuerySet[Ticket]:
    """A list as a table shows it: sorted by an allowed key, newest number breaking ties."""
    field = SORT_FIELDS[sort.lstrip("-")]
    ordering = f"-{field}" if sort.startswith("-") else field
    return tickets.select_related("queue", "assignee").order_by(ordering, "-number")


# Quick search (S16) -----------------------------------------------------------

_NUMBER = re.compile(r"#?\s*(\d{1,18})")
MAX_WORDS = 8


def search_text(text: str) -> str:
    """What a search may look for: no control characters, which no title or address
    holds (PostgreSQL refuses a NUL; SQLite ends a LIKE pattern at it, matching all)."""
    return one_line(text).strip()


def ticket_number(text: str) -> int | None:
    """The ticket number typed, as ``1042`` or ``#1042``; None for anything else."""
    match = _NUMBER.fullmatch(search_text(text))
    return int(match.group(1)) if match else None


def is_email(text: str) -> bool:
    try:
        validate_email(search_text(text))
    except ValidationError:
        return False
    return True


def by_requester(user: Person, email: str) -> QuerySet[Ticket]:
    """Tickets from one address, closed ones included (index ``ticket_requester``).

    Mail clients vary the case of one person's address; addresses are stored
    lower-case, so an exact match serves it.
    """
    return visible_tickets(user).filter(requester_email=search_text(email).lower())


def by_title_words(user: Person, text: str) -> QuerySet[Ticket]:
    """Tickets whose title contains every word, closed ones included (S4); no words, none."""
    words = search_text(text).split()[:MAX_WORDS]
    if not words:
        return Ticket.objects.none()
    tickets = visible_tickets(user).annotate(title_lower=UnicodeLower("title"))
    for word in words:
        tickets = tickets.filter(title_lower__contains=word.lower())
    return tickets


def newest(user: Person, count: int) -> QuerySet[Ticket]:
    """The newest tickets the person sees, closed ones included."""
    return visible_tickets(user).select_related("queue").order_by("-created_at")[:count]


# One ticket and its page (S18) --------------------------------------------------


def find(user: Person, number: int) -> Ticket | None:
    """The ticket with its queue, account and assignee, or None when it is not visible."""
    return (
        visible_tickets(user)
        .select_related("queue", "account", "assignee")
        .filter(number=number)
        .first()
    )


def latest_of_requester(user: Person, ticket: Ticket, count: int) -> QuerySet[Ticket]:
    """The newest other tickets of the same requester or account (S18)."""
    if count <= 0:
        return Ticket.objects.none()
    same_customer = Q(requester_email=ticket.requester_email)
    if ticket.account_id is not None:
        same_customer |= Q(account_id=ticket.account_id)
    return (
        visible_tickets(user)
        .filter(same_customer)
        .exclude(pk=ticket.pk)
        .order_by("-created_at")[:count]
    )


def thread(user: Person, ticket: Ticket) -> QuerySet[Message]:
    """The messages of a ticket the person may read, with authors and attachments."""
    return (
        visible_messages(user)
        .filter(ticket=ticket)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )


@dataclass(frozen=True)
class HistoryLine:
    event: Event
    text: str

    @property
    def created_at(self) -> datetime:
        return self.event.created_at


def history_of(ticket: Ticket) -> list[HistoryLine]:
    """The ticket's history in words, with current names: the events, then one query
    per kind of row they name (people, queues, accounts), whatever their number.

    The caller has checked the ticket through the visibility rule; its history
    is read by its id (DESIGN rule 2).
    """
    events = list(Event.objects.filter(ticket_id=ticket.pk).select_related("actor"))
    return [
        HistoryLine(event, text)
        for event, text in zip(events, history.describe_all(events), strict=True)
    ]


def visible_attachment(user: Person, pk: int) -> Attachment:
    """An attachment the person may download; raises Attachment.DoesNotExist otherwise."""
    return visible_attachments(user).get(pk=pk)


# The customer portal (S33) -------------------------------------------------------

#: A customer's ticket waits for support, is answered (waits for the customer), or is closed.
WAITING, ANSWERED, CLOSED = "waiting", "answered", "closed"
CUSTOMER_STATES = (WAITING, ANSWERED, CLOSED)
#: What the portal shows of a thread: the conversation; never notes or system messages.
CONVERSATION_KINDS = (MessageKind.CUSTOMER, MessageKind.ANSWER)
#: Orderings of the portal's lists; "status" follows CUSTOMER_STATES.
CUSTOMER_SORTS = ("title", "created", "modified", "status")


def _closed_by_a_customer_since_support_did() -> Exists:
    """Did a customer close the ticket after support resolved or closed it?

    Their close of a resolved or closed ticket records ``customer_closed``; closing
    one that was still open is a status change made by them.
    """
    by_a_customer = Q(actor__isnull=False, actor__staff_profile__isnull=True)
    return Exists(
        Event.objects.filter(ticket=OuterRef("pk"), created_at__gte=OuterRef("closed_at")).filter(
            Q(code=EventCode.CUSTOMER_CLOSED) | (Q(code=EventCode.STATUS) & by_a_customer)
        )
    )


def customer_tickets(
    user: Person, *, state: str = "", words: str = "", now: datetime | None = None
) -> QuerySet[Ticket]:
    """The tickets a customer sees, each with its ``customer_state`` and queue.

    As in the old manual, a ticket support resolved or closed stays in the
    customer's open list as answered until the customer closes it too, or
    ``answered_stays_open_days`` pass; then it is closed. ``state``: only those in
    one of ``CUSTOMER_STATES``. ``words``: only tickets whose title holds every one
    (full-text search replaces this later). The account's tickets come from the
    ``ticket_account`` index, a stranger's from ``ticket_requester``.
    """
    tickets = by_title_words(user, words) if search_text(words) else visible_tickets(user)
    days = HelpdeskSettings.load().answered_stays_open_days
    cutoff = (now or timezone.now()) - timedelta(days=days)
    recently_resolved = (
        Q(status__in=DONE_STATUSES, is_answered=True, closed_at__gte=cutoff)
        & ~_closed_by_a_customer_since_support_did()
    )
    customer_state = Case(
        When(status__in=ACTIVE_STATUSES, is_answered=False, then=Value(WAITING)),
        When(status__in=ACTIVE_STATUSES, then=Value(ANSWERED)),
        When(recently_resolved, then=Value(ANSWERED)),
        default=Value(CLOSED),
    )
    tickets = tickets.annotate(customer_state=customer_state).select_related("queue")
    return tickets.filter(customer_state=state) if state else tickets


def clean_customer_sort(requested: str, default: str = "-modified") -> str:
    return requested if requested.lstrip("-") in CUSTOMER_SORTS else default


def in_customer_order(tickets: QuerySet[Ticket], sort: str) -> QuerySet[Ticket]:
    """``customer_tickets`` sorted by one of ``CUSTOMER_SORTS`` ("-" first: descending)."""
    key = sort.lstrip("-")
    if key == "status":
        rank = Case(
            *(When(customer_state=state, then=Value(n)) for n, state in enumerate(CUSTOMER_STATES))
        )
        ordering = OrderBy(rank, descending=sort.startswith("-"))
    else:
        ordering = OrderBy(F(SORT_FIELDS[key]), descending=sort.startswith("-"))
    return tickets.order_by(ordering, "-number")


def customer_counts(
    user: Person, *, words: str = "", now: datetime | None = None
) -> dict[str, int]:
    """How many of ``customer_tickets`` are in each state, in one query."""
    tickets = customer_tickets(user, words=words, now=now)
    counts: dict[str, int] = tickets.aggregate(
        **{state: Count("pk", filter=Q(customer_state=state)) for state in CUSTOMER_STATES}
    )
    return counts


def customer_ticket(user: Person, number: int, now: datetime | None = None) -> Ticket:
    """One of ``customer_tickets``; raises Ticket.DoesNotExist when the person may not see it."""
    return customer_tickets(user, now=now).get(number=number)


def conversation(user: Person, ticket: Ticket) -> QuerySet[Message]:
    """The public thread of a ticket as its customer reads it: their messages and staff
    answers with attachments; never notes, system messages or what staff alone see."""
    return (
        visible_messages(user)
        .filter(ticket=ticket, kind__in=CONVERSATION_KINDS)
        .select_related("author__staff_profile")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )


def conversation_attachment(user: Person, pk: int) -> Attachment:
    """An attachment of a conversation the person may read; raises Attachment.DoesNotExist."""
    return (
        visible_attachments(user)
        .filter(message__kind__in=CONVERSATION_KINDS)
        .select_related("message")
        .get(pk=pk)
    )


# Several tickets at once (mass actions) -------------------------------------------


def visible_numbers(user: Person, numbers: Iterable[int]) -> set[int]:
    """Which of these ticket numbers the person may see."""
    return set(
        visible_tickets(user).filter(number__in=list(numbers)).values_list("number", flat=True)
    )


def visible_by_numbers(user: Person, numbers: Iterable[int]) -> QuerySet[Ticket]:
    return visible_tickets(user).filter(number__in=list(numbers)).order_by("number")


def may_open(user: Person, ticket_field: str = "ticket_id") -> Exists:
    """An expression for annotating rows that point at a ticket: may the person open it?"""
    return Exists(visible_tickets(user).filter(pk=OuterRef(ticket_field)))


# A customer account (S18 "customer records", S34 "view as customer") ------------


def account_tickets(user: Person, account_id: int) -> QuerySet[Ticket]:
    """The account's tickets the person sees, newest first, closed ones included
    (the ``ticket_account`` index)."""
    return (
        visible_tickets(user)
        .filter(account_id=account_id)
        .select_related("queue", "assignee")
        .order_by("-created_at", "-number")
    )


def account_status_counts(user: Person, account_id: int) -> dict[str, int]:
    """How many of the account's tickets the person sees, by status, in one query."""
    counts = dict.fromkeys(Status.values, 0)
    rows = (
        visible_tickets(user)
        .filter(account_id=account_id)
        .order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
    )
    counts.update({status: count for status, count in rows})
    return counts


def sees_whole_account(user: Person, account_id: int) -> bool:
    """Is the person active staff who sees every ticket of the account?

    The portal shows a customer all of their account's tickets, so staff may open
    it as one of the account's contacts only when it shows them nothing the
    panel would not (S2: one rule for every path).
    """
    if not isinstance(user, User) or not user.is_active or user.staff is None:
        return False
    hidden = Ticket.objects.filter(account_id=account_id).exclude(
        pk__in=visible_tickets(user).values("pk")
    )
    return not hidden.exists()


# Queues ---------------------------------------------------------------------


def tickets_in_queue(user: Person, queue: Queue) -> QuerySet[Ticket]:
    """Every ticket of a queue the person sees, closed ones included."""
    return visible_tickets(user).filter(queue=queue)


def count_in_queue(user: Person, queue: Queue) -> int:
    return tickets_in_queue(user, queue).count()


def queues_to_move_to(user: Person, ticket: Ticket) -> list[Queue]:
    """The queues this person may move the ticket to (its own among them); empty if it may not.

    Supervisors move between queues they are entitled to, administrators anywhere.
    """
    queues = list(visible_queues(user).order_by("name"))
    if not any(queue.pk == ticket.queue_id for queue in queues):
        return []
    return queues


def queues_for_mass_move(user: Person) -> QuerySet[Queue]:
    """Queues a mass move may target; each ticket's own queue is checked by the action."""
    return visible_queues(user).order_by("name")
