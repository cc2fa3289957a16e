"""The panel's ticket tables: which list, which columns, one page at a time (S15–S17).

The tickets come from tickets/queries.py; this module only presents them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from panel.auth import is_supervising
from tickets import queries
from tickets.models import Ticket

PAGE_SIZE = 25
#: The home page shows the first rows of each list and links to the whole list, so
#: that a supervisor's home (two lists) fits one screen of a laptop (1366×768).
HOME_ROWS = 5
# As far as a count goes: beyond it, sorting the other way or a search is the way on.
MAX_PAGE = queries.COUNT_CAP // PAGE_SIZE

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
#: The service level's column comes last (after the assignee): its cell is the
#: template's, not one of ``ticket_cells``. Soonest due first on the first click.
DUE_LABEL = gettext_lazy("Due")

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
    #: The tickets counted already (capped as ``queries.count_up_to`` does), if they were.
    counted: int | None = None


@dataclass
class Column:
    key: str
    label: str
    url: str
    direction: str  # "ascending", "descending" or "" (HTML aria-sort values)


@dataclass
class Table:
    """Everything the ticket-table partial shows: one page of rows, never all of them."""

    source: TicketList
    rows: list[Ticket]
    #: The rows counted, up to ``COUNT_CAP + 1``.
    counted: int
    number: int
    sort: str
    columns: list[Column]
    previous_url: str = ""
    next_url: str = ""
    can_supervise: bool = False
    due_column: Column | None = None
    #: On the home page, where only the first rows show: the whole list, when it holds more.
    show_all_url: str = ""

    @property
    def count_label(self) -> str:
        return count_label(self.counted)

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the count is exact."""
        if self.counted > queries.COUNT_CAP:
            return None
        return max(1, -(-self.counted // PAGE_SIZE))


def count_label(counted: int) -> str:
    """ "37", or "10,000+" for a count that stopped at ``queries.COUNT_CAP``."""
    if counted > queries.COUNT_CAP:
        return f"{number_format(queries.COUNT_CAP, force_grouping=True)}+"
    return number_format(counted, force_grouping=True)


def page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    number = int(value) if value.isdigit() and len(value) < 6 else 1
    return min(max(number, 1), MAX_PAGE)


def _url(request: HttpRequest, base: str, **changes: str | int) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = str(value)
    return f"{base}?{query.urlencode()}"


def build_table(
    request: HttpRequest, ticket_list: TicketList, user: User, *, first_rows: int | None = None
) -> Table:
    """One page of a list in the order asked for, with its count capped: a page costs
    the same whether the list holds a hundred tickets or a hundred thousand.

    ``first_rows``: only the list's first rows (the home page), with a link to the rest.
    """
    sort = queries.clean_sort(request.GET.get("sort", ""), ticket_list.default_sort)
    number = 1 if first_rows else page_number(request)
    size = first_rows or PAGE_SIZE
    # One row more than a page says whether there is a next one.
    found = queries.list_page(ticket_list.tickets, sort, offset=(number - 1) * size, size=size)
    base = ticket_list.url
    columns = []
    for key, label in [*COLUMN_LABELS.items(), ("due", DUE_LABEL)]:
        if sort.lstrip("-") == key:
            direction = "descending" if sort.startswith("-") else "ascending"
            toggled = key if sort.startswith("-") else f"-{key}"
        else:
            direction = ""
            toggled = f"-{key}" if key in DESCENDING_FIRST else key
        columns.append(Column(key, str(label), _url(request, base, sort=toggled), direction))
    due_column = columns.pop()
    table = Table(
        source=ticket_list,
        rows=found[:size],
        # Counted on every page, so the queries of a page never depend on its rows.
        counted=ticket_list.counted
        if ticket_list.counted is not None
        else queries.count_up_to(ticket_list.tickets, queries.COUNT_CAP),
        number=number,
        sort=sort,
        columns=columns,
        can_supervise=is_supervising(user),
        due_column=due_column,
    )
    if first_rows:
        if len(found) > size:
            table.show_all_url = _url(request, base, sort=sort)
        return table
    if number > 1:
        table.previous_url = _url(request, base, sort=sort, page=number - 1)
    if len(found) > PAGE_SIZE and number < MAX_PAGE:
        table.next_url = _url(request, base, sort=sort, page=number + 1)
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


def unassigned_list(user: User, counted: int | None = None) -> TicketList:
    return TicketList(
        key="unassigned",
        title=gettext("Newest unassigned tickets"),
        url=reverse("panel:unassigned"),
        tickets=queries.unassigned(user),
        default_sort="-created",
        empty=gettext("No unassigned tickets."),
        counted=counted,
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


def home_lists(user: User, unassigned_counted: int | None = None) -> list[TicketList]:
    """The home page's tables; the statistics counted the unassigned ones already."""
    if is_supervising(user):
        return [mine_list(user), unassigned_list(user, unassigned_counted)]
    return [mine_list(user)]
