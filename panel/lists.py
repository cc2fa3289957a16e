"""The panel's ticket tables: which list, which columns, one page at a time (S15–S17).

The tickets come from tickets/queries.py; this module only presents them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from panel.auth import is_supervising
from tickets import queries
from tickets.models import Ticket

PAGE_SIZE = 25

COLUMN_LABELS = {
    "title": gettext_lazy("Title"),
    "priority": gettext_lazy("Priority"),
    "created": gettext_lazy("Created"),
    "modified": gettext_lazy("Last modified"),
    "type": gettext_lazy("Type"),
    "status": gettext_lazy("Status"),
}
# Numbers and times are most useful newest/highest first on the first click.
DESCENDING_FIRST = {"priority", "created", "modified"}

PERIODS = {
    "month": gettext_lazy("Received this month"),
    "week": gettext_lazy("Received this week"),
    "yesterday": gettext_lazy("Received yesterday"),
    "today": gettext_lazy("Received today"),
}


@dataclass(frozen=True)
class TicketList:
    key: str
    title: str
    url: str
    tickets: QuerySet[Ticket]
    default_sort: str
    empty: str


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


def _url(request: HttpRequest, base: str, **changes: str | int) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = str(value)
    return f"{base}?{query.urlencode()}"


def build_table(request: HttpRequest, ticket_list: TicketList, user: User) -> Table:
    sort = queries.clean_sort(request.GET.get("sort", ""), ticket_list.default_sort)
    tickets = queries.in_order(ticket_list.tickets, sort)
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
        columns.append(Column(key, str(label), _url(request, base, sort=toggled), direction))
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
        title=gettext("My highest-priority assigned tickets"),
        url=reverse("panel:mine"),
        tickets=queries.mine(user),
        default_sort="-priority",
        empty=gettext("Nothing is assigned to you."),
    )


def unassigned_list(user: User) -> TicketList:
    return TicketList(
        key="unassigned",
        title=gettext("Newest unassigned tickets"),
        url=reverse("panel:unassigned"),
        tickets=queries.unassigned(user),
        default_sort="-created",
        empty=gettext("No unassigned tickets."),
    )


def received_list(user: User, period: str) -> TicketList:
    return TicketList(
        key=f"received-{period}",
        title=str(PERIODS[period]),
        url=reverse("panel:received", args=[period]),
        tickets=queries.received(user, period),
        default_sort="-created",
        empty=gettext("No tickets."),
    )


def search_list(user: User, query: str) -> TicketList:
    if queries.is_email(query):
        title = gettext("Tickets from %(address)s") % {"address": query}
        tickets = queries.by_requester(user, query)
    else:
        title = gettext("Tickets whose title contains “%(words)s”") % {"words": query}
        tickets = queries.by_title_words(user, query)
    return TicketList(
        key="search",
        title=title,
        url=reverse("panel:search"),
        tickets=tickets,
        default_sort="-created",
        empty=gettext("No ticket matches."),
    )


def home_lists(user: User) -> list[TicketList]:
    if is_supervising(user):
        return [mine_list(user), unassigned_list(user)]
    return [mine_list(user)]
