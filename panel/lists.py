"""The panel's ticket lists: which tickets, in what order, one page at a time (S15–S17)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import validate_email
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from frontdesk.db import UnicodeLower
from panel.auth import is_supervising
from tickets.models import ACTIVE_STATUSES, Ticket
from tickets.visibility import visible_tickets, visible_unassigned

PAGE_SIZE = 25

#: The only orderings a request may ask for; anything else falls back to the default.
SORT_FIELDS = {
    "title": "title",
    "priority": "priority",
    "created": "created_at",
    "modified": "modified_at",
    "type": "type",
    "status": "status",
}
COLUMN_LABELS = {
    "title": "Title",
    "priority": "Priority",
    "created": "Created",
    "modified": "Last modified",
    "type": "Type",
    "status": "Status",
}
# Numbers and times are most useful newest/highest first on the first click.
DESCENDING_FIRST = {"priority", "created", "modified"}

PERIODS = {
    "month": "Received this month",
    "week": "Received this week",
    "yesterday": "Received yesterday",
    "today": "Received today",
}


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


def statistics(user: User, now: datetime | None = None) -> dict[str, int]:
    """S15 in two counting queries, each served by an index; no ticket is loaded.

    The received counts read only the tickets created since the earliest
    period starts (the creation-time index); "unassigned now" reads the
    unassigned tickets only (see visible_unassigned).
    """
    bounds = period_bounds(now)
    earliest = min(start for start, _ in bounds.values())
    counts = (
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


def mine(user: User) -> QuerySet[Ticket]:
    return visible_tickets(user).filter(assignee=user, status__in=ACTIVE_STATUSES)


def unassigned(user: User) -> QuerySet[Ticket]:
    return visible_unassigned(user).filter(status__in=ACTIVE_STATUSES)


def received(user: User, period: str) -> QuerySet[Ticket]:
    start, end = period_bounds()[period]
    return visible_tickets(user).filter(_created_in(start, end))


_NUMBER = re.compile(r"#?\s*(\d{1,18})")
MAX_WORDS = 8


def ticket_number(text: str) -> int | None:
    match = _NUMBER.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def is_email(text: str) -> bool:
    try:
        validate_email(text.strip())
    except ValidationError:
        return False
    return True


def by_requester(user: User, email: str) -> QuerySet[Ticket]:
    # Case differs between mail clients; the address is the same person.
    # Addresses are stored lower-case, so the requester index serves this.
    return visible_tickets(user).filter(requester_email=email.strip().lower())


def by_title_words(user: User, text: str) -> QuerySet[Ticket]:
    """Tickets whose title contains every word, closed ones included (S4)."""
    tickets = visible_tickets(user).annotate(title_lower=UnicodeLower("title"))
    for word in text.split()[:MAX_WORDS]:
        tickets = tickets.filter(title_lower__contains=word.lower())
    return tickets


@dataclass(frozen=True)
class TicketList:
    key: str
    title: str
    url: str
    tickets: QuerySet[Ticket]
    default_sort: str
    empty: str = "No tickets."


@dataclass
class Column:
    key: str
    label: str
    url: str
    direction: str  # "ascending", "descending" or "" (HTML aria-sort values)


@dataclass
class Table:
    """Everything the ticket-table partial shows."""

    source: TicketList
    page: Page
    sort: str
    columns: list[Column]
    previous_url: str = ""
    next_url: str = ""
    can_supervise: bool = False


def clean_sort(requested: str, default: str) -> str:
    return requested if requested.lstrip("-") in SORT_FIELDS else default


def _url(request: HttpRequest, base: str, **changes: str | int) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = str(value)
    return f"{base}?{query.urlencode()}"


def build_table(request: HttpRequest, ticket_list: TicketList, user: User) -> Table:
    sort = clean_sort(request.GET.get("sort", ""), ticket_list.default_sort)
    field_name = SORT_FIELDS[sort.lstrip("-")]
    ordering = f"-{field_name}" if sort.startswith("-") else field_name
    tickets = ticket_list.tickets.select_related("queue", "assignee").order_by(ordering, "-number")
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    base = ticket_list.url
    columns = []
    for key, label in COLUMN_LABELS.items():
        if sort.lstrip("-") == key:
            direction = "descending" if sort.startswith("-") else "ascending"
            toggled = key if sort.startswith("-") else f"-{key}"
        else:
            direction = ""
            toggled = f"-{key}" if key in DESCENDING_FIRST else key
        columns.append(Column(key, label, _url(request, base, sort=toggled), direction))
    table = Table(
        source=ticket_list,
        page=page,
        sort=sort,
        columns=columns,
        can_supervise=is_supervising(user),
    )
    if page.has_previous():
        table.previous_url = _url(request, base, sort=sort, page=page.previous_page_number())
    if page.has_next():
        table.next_url = _url(request, base, sort=sort, page=page.next_page_number())
    return table


def mine_list(user: User) -> TicketList:
    return TicketList(
        key="mine",
        title="My highest-priority assigned tickets",
        url=reverse("panel:mine"),
        tickets=mine(user),
        default_sort="-priority",
        empty="Nothing is assigned to you.",
    )


def unassigned_list(user: User) -> TicketList:
    return TicketList(
        key="unassigned",
        title="Newest unassigned tickets",
        url=reverse("panel:unassigned"),
        tickets=unassigned(user),
        default_sort="-created",
        empty="No unassigned tickets.",
    )


def received_list(user: User, period: str) -> TicketList:
    return TicketList(
        key=f"received-{period}",
        title=PERIODS[period],
        url=reverse("panel:received", args=[period]),
        tickets=received(user, period),
        default_sort="-created",
    )


def search_list(user: User, query: str) -> TicketList:
    if is_email(query):
        title, tickets = f"Tickets from {query}", by_requester(user, query)
    else:
        title, tickets = f"Tickets whose title contains “{query}”", by_title_words(user, query)
    return TicketList(
        key="search",
        title=title,
        url=reverse("panel:search"),
        tickets=tickets,
        default_sort="-created",
        empty="No ticket matches.",
    )


def home_lists(user: User) -> list[TicketList]:
    if is_supervising(user):
        return [mine_list(user), unassigned_list(user)]
    return [mine_list(user)]
