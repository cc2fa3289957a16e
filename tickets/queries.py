"""Every read of tickets a surface needs, each starting from tickets/visibility.py.

The panel (and the portal, the API, reports) present what these return; none
of them builds a ticket query of its own (tests/test_boundaries.py). A new
list, count or lookup is a function here, named for what it answers, with its
index noted where it needs one (docs/architecture.md lists the indexes).
"""

from __future__ import annotations

import json
import re
import zoneinfo
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection
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
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from accounts.actors import Integration
from accounts.models import User
from accounts.preferences import time_zone_of
from frontdesk.db import UnicodeLower
from frontdesk.text import one_line
from search import api as search
from tickets import history
from tickets.criteria import (
    BREACHING_SOON,
    DUE_SOON,
    ME,
    NOBODY,
    Criteria,
    accounts_called,
)
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
    get_attachment_for,
    messages_of,
    visible_assigned,
    visible_in_parts,
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


#: "Unassigned now" and the panel's lists count no further than this; beyond it they
#: say "10,000+". A count that reads every visible row costs, at a million tickets,
#: more than the page it is shown on.
COUNT_CAP = 10_000


def statistics(user: Person, now: datetime | None = None) -> dict[str, int]:
    """S15 in one query of counts, each a range of an index; no ticket is loaded.

    Each period is counted in each part of the person's view
    (``visible_in_parts``: a supervisor's queues, then the tickets assigned to them
    elsewhere; never the rule's OR, which made the planners read every ticket of
    those queues): ``ticket_queue_created``, ``ticket_created`` and
    ``ticket_assignee_created``. Each count is its own range, not a filter
    evaluated on every row since the month began. "Unassigned now" is counted in
    ``ticket_unassigned_queue`` up to ``COUNT_CAP + 1``.
    """
    bounds = period_bounds(now)
    parts = visible_in_parts(user)
    ranged = [_compiled_count(_in_stand_in_range(part)) for part in parts]
    compiled = [_with_bounds(part, start, end) for start, end in bounds.values() for part in ranged]
    numbers = _counts([*compiled, _compiled_count(unassigned(user), cap=COUNT_CAP)])
    counts = {
        name: sum(numbers[index * len(parts) : (index + 1) * len(parts)])
        for index, name in enumerate(bounds)
    }
    counts["unassigned"] = numbers[-1]
    return counts


Compiled = tuple[str, list[Any]]

# The periods' counts differ only in their bounds, and compiling a query costs
# more than counting it: each part of the view is compiled once, between these
# stand-in bounds, which each period's bounds then replace.
_STAND_IN = (datetime(1900, 1, 1, tzinfo=UTC), datetime(1900, 1, 2, tzinfo=UTC))
#: The end of a period that has none (this month, this week, today).
_NO_END = datetime(9999, 1, 1, tzinfo=UTC)


def _in_stand_in_range(tickets: QuerySet[Ticket]) -> QuerySet[Ticket]:
    return tickets.filter(created_at__gte=_STAND_IN[0], created_at__lt=_STAND_IN[1])


def _with_bounds(compiled: Compiled, start: datetime, end: datetime | None) -> Compiled:
    adapt = connection.ops.adapt_datetimefield_value
    replace = {adapt(_STAND_IN[0]): adapt(start), adapt(_STAND_IN[1]): adapt(end or _NO_END)}
    sql, params = compiled
    return sql, [replace.get(value, value) for value in params]


def _compiled_count(tickets: QuerySet[Ticket], cap: int | None = None) -> Compiled:
    """``SELECT COUNT(*)`` of the tickets (no more than ``cap + 1``), as SQL and values."""
    rows = tickets.order_by().values("number")
    if cap is not None:
        rows = rows[: cap + 1]
    sql, values = rows.query.sql_with_params()
    # Django's own compiled query; every value stays a parameter.
    return f"SELECT COUNT(*) FROM ({sql}) counted", list(values)  # noqa: S608


def _counts(counts: Sequence[Compiled]) -> list[int]:
    """Several counts in one round trip."""
    sql = ", ".join(f"({each})" for each, _values in counts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {sql}", [value for _sql, values in counts for value in values])
        row = cursor.fetchone()
    return [int(count) for count in row]


# Working lists (S17) ----------------------------------------------------------


def mine(user: User) -> QuerySet[Ticket]:
    """The person's own working tickets (index ``ticket_assignee``)."""
    return visible_assigned(user).filter(status__in=ACTIVE_STATUSES)


def unassigned(user: Person) -> QuerySet[Ticket]:
    """Working tickets nobody has (index ``ticket_unassigned_queue`` to count them, and
    one ``ticket_unassigned_*`` per sort order to page through them)."""
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
    # Service levels: the soonest due first; tickets without a running clock last.
    "due": "next_due_at",
}


def ordered_by(field: str, *, descending: bool) -> OrderBy | str:
    """A sort of one column; tickets without a due time come last either way, as
    both databases would otherwise put them at opposite ends."""
    if field == "next_due_at":
        return OrderBy(F(field), descending=descending, nulls_last=True)
    return f"-{field}" if descending else field


def clean_sort(requested: str, default: str) -> str:
    """``requested`` ("priority", "-created", ...) if it is allowed, else ``default``."""
    return requested if requested.lstrip("-") in SORT_FIELDS else default


#: What a row of a ticket table shows: each column more is a value converted for
#: each of fifty rows on the home page (times most of all).
TABLE_COLUMNS = (
    "title",
    "priority",
    "created_at",
    "modified_at",
    "type",
    "status",
    "is_answered",
    "version",
    "next_due_at",
    "queue__name",
    "assignee__email",
    "assignee__full_name",
)


def in_order(tickets: QuerySet[Ticket], sort: str) -> QuerySet[Ticket]:
    """A list as a table shows it: sorted by an allowed key, newest number breaking ties."""
    field = SORT_FIELDS[sort.lstrip("-")]
    return (
        tickets.select_related("queue", "assignee")
        .only(*TABLE_COLUMNS)
        .order_by(ordered_by(field, descending=sort.startswith("-")), "-number")
    )


def list_page(tickets: QuerySet[Ticket], sort: str, *, offset: int, size: int) -> list[Ticket]:
    """One page of a list as ``in_order`` sorts it, and one row more when there is a
    next page: no list counts or reads all its rows to page.

    The first page is one query: both planners walk the sort's index until it is
    full. Deeper, the page's numbers are found first, from an index alone (each
    ``ticket_unassigned_*`` holds what the unassigned list tests: queue and
    status), then their rows: sorting the numbers of the 14,500 unassigned
    tickets a supervisor sees costs PostgreSQL 17 ms at page 200, sorting the
    tickets themselves 57 ms; SQLite walks the index either way (bench/plans.py).
    """
    if offset == 0:
        return list(in_order(tickets, sort)[: size + 1])
    numbers = list(
        in_order(tickets, sort).values_list("number", flat=True)[offset : offset + size + 1]
    )
    if not numbers:
        return []
    # Found by their numbers, each still in the list (a correlated EXISTS): with the
    # list's own conditions beside the numbers, SQLite walked an index of those
    # instead of looking the numbers up.
    still_listed = Exists(tickets.filter(pk=OuterRef("pk")))
    found = Ticket.objects.filter(still_listed, number__in=numbers)
    rows = {
        ticket.number: ticket
        for ticket in found.select_related("queue", "assignee").only(*TABLE_COLUMNS)
    }
    # A ticket that left the list between the two reads is left out.
    return [rows[number] for number in numbers if number in rows]


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


# Advanced search (S22), the quick search's results (S16) and saved views ----------

#: Sort keys of ``tickets.criteria.SORT_KEYS`` as columns; ``rank`` is the search's.
SEARCH_SORT_FIELDS = {"number": "number", "rank": "search_rank", **SORT_FIELDS}


#: A search sorted by rank ranks this many tickets at most; beyond, the newest come
#: first (``newest_first``). Ranking reads every match: at a million tickets a word
#: in 1 % of them took PostgreSQL 0.9 s to rank.
RANKED_UP_TO = 1_000


def find_tickets(user: Person, criteria: Criteria, *, rank: bool = True) -> QuerySet[Ticket]:
    """The tickets that meet ``criteria``, as ``user`` sees them, in the criteria's order.

    A pure read of (person, criteria): the advanced search, the quick search's
    results, every saved view (run with the *viewer's* visibility) and a mass action
    over all results of a search (re-run by the worker as its owner) get the same
    tickets. Staff only: the panel's search is no customer's (they get nothing).
    Words go through the full-text index (``search.api.matching``), internal notes
    included; dates are whole days in the person's time zone. Matches are ranked
    only when sorted by rank (``search.matching(ranked=...)``); ``rank=False`` puts a
    search sorted by rank newest first, unranked.
    """
    integration = isinstance(user, Integration)
    if isinstance(user, AnonymousUser) or (isinstance(user, User) and user.staff is None):
        return Ticket.objects.none()
    tickets = visible_tickets(user).filter(_conditions(user, criteria))
    ordering = criteria.ordering
    field = SEARCH_SORT_FIELDS[ordering.lstrip("-")]
    if criteria.text:
        # An integration (an API token's) reads no internal notes: it finds by none.
        ranked = rank and field == "search_rank"
        tickets = search.matching(
            tickets, search.parse(criteria.text), notes=not integration, ranked=ranked
        )
        if field == "search_rank" and not ranked:
            return tickets.order_by("-number")
    # Best match first: a higher rank is a better one.
    descending = ordering.startswith("-") or field == "search_rank"
    if field == "next_due_at":
        return tickets.order_by(ordered_by(field, descending=descending), "-number")
    return tickets.order_by(OrderBy(F(field), descending=descending), "-number")


@dataclass
class SearchPage:
    """One page of ``find_tickets`` and its capped count (``search_page``)."""

    #: The page's tickets, and one more when there is a next page.
    tickets: list[Ticket]
    #: How many tickets were found, counting no further than ``cap + 1``.
    counted: int
    #: Sorted by rank, but too many were found to rank (``RANKED_UP_TO``): newest first.
    newest_first: bool


def search_page(user: Person, criteria: Criteria, *, page: int, size: int, cap: int) -> SearchPage:
    """Page ``page`` (from 1) of ``size`` tickets that ``criteria`` finds for ``user``,
    and how many there are up to ``cap + 1``, reading the search once
    (``search_slice``)."""
    return search_slice(user, criteria, offset=(page - 1) * size, size=size, cap=cap)


def search_slice(
    user: Person, criteria: Criteria, *, offset: int, size: int, cap: int
) -> SearchPage:
    """``size`` tickets (and one more, if there are) from ``offset`` of those
    ``criteria`` finds for ``user``, and how many there are up to ``cap + 1``,
    reading the search once: the panel's pages and the API's cursors.

    The numbers of the first ``cap + 1`` tickets, in the page's order, come from
    one query: how many there are is the count, and the page is a slice of them,
    whose rows are then read by number (the visibility rule asked again about
    those alone). Counting and paging apart ran the search twice: at a million
    tickets each run of a word in 1 % of them looks 10,000 matches up. A search
    sorted by rank is first read newest first (no rank is computed for a
    number); up to ``RANKED_UP_TO`` found, those are ranked, else they stay
    newest first. Pages beyond the numbers read are read with an offset.
    """
    ranked_sort = bool(criteria.text) and criteria.ordering.lstrip("-") == "rank"
    ordered = find_tickets(user, criteria, rank=False)
    numbers = list(ordered.values_list("number", flat=True)[: cap + 1])
    counted = len(numbers)
    if ranked_sort and counted <= RANKED_UP_TO:
        ranked = find_tickets(user, criteria).filter(number__in=numbers)
        tickets = list(ranked.select_related("queue", "assignee")[offset : offset + size + 1])
        return SearchPage(tickets=tickets, counted=counted, newest_first=False)
    newest = ranked_sort
    if offset + size < counted or counted <= cap:
        wanted = numbers[offset : offset + size + 1]
        rows = visible_tickets(user).filter(number__in=wanted).select_related("queue", "assignee")
        by_number = {ticket.number: ticket for ticket in rows}
        tickets = [by_number[number] for number in wanted if number in by_number]
        return SearchPage(tickets=tickets, counted=counted, newest_first=newest)
    tickets = page_of(ordered, offset=offset, size=size)
    return SearchPage(tickets=tickets, counted=counted, newest_first=newest)


def _conditions(user: User | Integration, criteria: Criteria) -> Q:
    condition = Q()
    if criteria.number is not None:
        condition &= Q(number=criteria.number)
    if criteria.statuses:
        condition &= Q(status__in=criteria.statuses)
    elif not criteria.include_closed:
        condition &= Q(status__in=ACTIVE_STATUSES)
    if criteria.types:
        condition &= Q(type__in=criteria.types)
    if criteria.queues:
        condition &= Q(queue_id__in=criteria.queues)
    if criteria.priority_min is not None:
        condition &= Q(priority__gte=criteria.priority_min)
    if criteria.priority_max is not None:
        condition &= Q(priority__lte=criteria.priority_max)
    if criteria.due:
        # Index ticket_next_due: a range of the stored due times, never computed here.
        within = BREACHING_SOON if criteria.due == DUE_SOON else timedelta(0)
        condition &= Q(next_due_at__lte=timezone.now() + within)
    if criteria.assignee == NOBODY:
        condition &= Q(assignee__isnull=True)
    elif criteria.assignee == ME:
        # An integration is nobody's "me": no ticket is assigned to it.
        condition &= Q(assignee=user) if isinstance(user, User) else Q(pk__in=[])
    elif criteria.assignee:
        condition &= Q(assignee_id=int(criteria.assignee))
    if criteria.answered is not None:
        condition &= Q(is_answered=criteria.answered)
    if criteria.sticky is not None:
        condition &= Q(is_sticky=criteria.sticky)
    if criteria.account:
        condition &= Q(account_id__in=accounts_called(criteria.account).values("pk"))
    if criteria.email:
        condition &= by_address(criteria.email)
    person = user if isinstance(user, User) else None
    zone = time_zone_of(person) or zoneinfo.ZoneInfo(settings.TIME_ZONE)
    for field, first, last in (
        ("created_at", criteria.created_from, criteria.created_to),
        ("modified_at", criteria.modified_from, criteria.modified_to),
    ):
        if first is not None:
            condition &= Q(**{f"{field}__gte": _start_of(first, zone)})
        if last is not None:
            condition &= Q(**{f"{field}__lt": _start_of(last + timedelta(days=1), zone)})
    return condition


def _start_of(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time.min, tzinfo=zone)


def is_domain(text: str) -> bool:
    """``@example.com``: the quick search's way of asking for a whole domain."""
    text = search_text(text)
    return text.startswith("@") and is_email(f"someone{text}")


def by_address(address: str) -> Q:
    """Tickets from an address or copied to it, or (``@example.com``) from a domain.

    The requester is an index look-up (``ticket_requester``; ``ticket_requester_domain``
    for a domain: the database keeps the domain of every address). CCs are a list
    in a JSON column that no index of both databases serves, so the full-text
    index, which holds them, finds the candidates and the list is checked exactly.
    """
    address = search_text(address).lower()
    if address.startswith("@"):
        return Q(requester_domain=address[1:])
    candidates = search.matching(
        Ticket.objects.all(), search.parse(address), notes=False, ranked=False
    )
    # The stored JSON writes non-ASCII characters escaped on SQLite, as they are on
    # PostgreSQL: either spelling of the quoted address is the whole list item.
    spellings = {json.dumps(address), json.dumps(address, ensure_ascii=False)}
    in_list = Q()
    for spelling in spellings:
        in_list |= Q(cc_text__contains=spelling)
    copied = candidates.annotate(cc_text=Cast("cc", TextField())).filter(in_list)
    requested = Ticket.objects.filter(requester_email=address)
    # One list of numbers, not "requester = x OR number IN (...)": an OR with a
    # subquery keeps PostgreSQL from using either index and it reads every ticket.
    numbers = requested.order_by().values("number").union(copied.order_by().values("number"))
    return Q(number__any_of=numbers)


def page_of(tickets: QuerySet[Ticket], *, offset: int, size: int) -> list[Ticket]:
    """One page of a search's rows with what a table shows of them, and one row more
    than asked for when there is a next page: no list counts all its rows to page."""
    return list(tickets.select_related("queue", "assignee")[offset : offset + size + 1])


def count_up_to(tickets: QuerySet[Ticket], cap: int) -> int:
    """How many tickets there are, counting no further than ``cap + 1``: more than
    ``cap`` reads as "cap+" and costs no more than reading that many index entries."""
    return count_each_up_to([tickets], cap)[0]


def count_each_up_to(lists: Sequence[QuerySet[Ticket]], cap: int) -> list[int]:
    """``count_up_to`` for several lists in one query (the saved views of the panel's
    navigation): one round trip however many views a person has."""
    if not lists:
        return []
    parts: list[str] = []
    params: list[Any] = []
    for index, tickets in enumerate(lists):
        sql, values = tickets.order_by().values("number")[: cap + 1].query.sql_with_params()
        # Django's own compiled query; every value stays a parameter.
        parts.append(f"(SELECT COUNT(*) FROM ({sql}) counted_{index})")  # noqa: S608
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(parts)}", params)
        row = cursor.fetchone()
    return [int(count) for count in row]


# One ticket and its page (S18) --------------------------------------------------


def find(user: Person, number: int) -> Ticket | None:
    """The ticket with its queue, account and assignee, or None when it is not visible."""
    return (
        visible_tickets(user)
        .select_related("queue", "account", "assignee")
        .filter(number=number)
        .first()
    )


#: Merges may chain (A into B, later B into C); the bound guards a pointer loop.
MAX_MERGE_HOPS = 20


def survivor_of(ticket: Ticket) -> Ticket:
    """The ticket a merged ticket's thread went to (S43), following later merges; the
    ticket itself when it was never merged. The system's read (mail threading); a
    person's goes through ``survivor_for``."""
    for _hop in range(MAX_MERGE_HOPS):
        if ticket.merged_into_id is None:
            break
        following = Ticket.objects.filter(pk=ticket.merged_into_id).first()
        if following is None:
            break
        ticket = following
    return ticket


def survivor_for(user: Person, ticket: Ticket) -> Ticket | None:
    """The ticket a merged ticket lives on in, if this person may see it; None otherwise."""
    survivor = survivor_of(ticket)
    if survivor.pk == ticket.pk:
        return None
    return find(user, survivor.pk)


def merged_into_this(user: Person, ticket: Ticket) -> QuerySet[Ticket]:
    """The tickets merged into this one that the person sees (index ``ticket_merged_into``)."""
    return visible_tickets(user).filter(merged_into=ticket).order_by("number")


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
    """The messages of a ticket the person may read, with authors and attachments.

    ``ticket`` comes from ``find`` or ``get_ticket_for``: checked once, its thread is
    read by its id (index ``message_thread``; DESIGN rule 2).
    """
    return (
        messages_of(user, ticket)
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


def written_since(user: User, ticket: Ticket, version: int) -> set[str]:
    """The texts of the answers and notes the person wrote on the ticket since this
    version of it, stripped.

    An autosave of the answer form that arrives after the form was sent carries
    the version the form was typed on; it must not bring the sent text back as a
    draft (index ``event_ticket_version``, then the thread's own index).
    """
    wrote = Event.objects.filter(
        ticket=ticket,
        version__gt=version,
        actor=user,
        code__in=(EventCode.ANSWER, EventCode.NOTE),
    )
    # A version's events are written after its messages: later messages came after them.
    since = (
        Event.objects.filter(ticket=ticket, version=version)
        .values_list("created_at", flat=True)
        .first()
    )
    if since is None or not wrote.exists():
        return set()
    texts = messages_of(user, ticket).filter(
        author=user, kind__in=(MessageKind.ANSWER, MessageKind.NOTE), created_at__gt=since
    )
    return {text.strip() for text in texts.values_list("text", flat=True)}


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


def message_of(user: Person, ticket: Ticket, pk: int) -> Message:
    """One message of a checked ticket that the person may read (customers never a
    note); raises Message.DoesNotExist otherwise."""
    return messages_of(user, ticket).get(pk=pk)


def visible_attachment(user: Person, pk: int) -> Attachment:
    """An attachment the person may download; raises Attachment.DoesNotExist otherwise."""
    return get_attachment_for(user, pk)


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
    one of ``CUSTOMER_STATES``. ``words``: only tickets that match them in the
    full-text index (search/), never by words of internal notes. The account's
    tickets come from the ``ticket_account`` index, a stranger's from
    ``ticket_requester``.
    """
    tickets = visible_tickets(user)
    if search_text(words):
        tickets = search.matching(tickets, search.parse(words), notes=False)
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
        messages_of(user, ticket)
        .filter(kind__in=CONVERSATION_KINDS)
        .select_related("author__staff_profile")
        .prefetch_related(Prefetch("attachments", queryset=Attachment.objects.order_by("id")))
    )


def conversation_attachment(user: Person, pk: int) -> Attachment:
    """An attachment of a conversation the person may read; raises Attachment.DoesNotExist."""
    attachment = get_attachment_for(user, pk)
    if attachment.message.kind not in CONVERSATION_KINDS:
        raise Attachment.DoesNotExist("Not an attachment of a conversation.")
    return attachment


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
    # Each of the account's tickets is looked up in the rule (a correlated NOT
    # EXISTS), never the whole list of what the person sees (NOT IN).
    seen = Exists(visible_tickets(user).filter(pk=OuterRef("pk")))
    hidden = Ticket.objects.filter(account_id=account_id).exclude(seen)
    return not hidden.exists()


def count_working_tickets_of(user: Person, assignee: User) -> int:
    """How many working tickets ``assignee`` has that ``user`` sees: the Staff page
    warns of them before somebody is deactivated (their tickets stay theirs)."""
    return visible_tickets(user).filter(assignee=assignee, status__in=ACTIVE_STATUSES).count()


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


def queue_list(user: Person) -> list[Queue]:
    """The queues whose tickets the person (or integration) sees as a whole, by name."""
    return list(visible_queues(user).order_by("name", "pk"))


def queues_for_mass_move(user: Person) -> QuerySet[Queue]:
    """Queues a mass move may target; each ticket's own queue is checked by the action."""
    return visible_queues(user).order_by("name")


@dataclass(frozen=True)
class ReportFacts:
    """What reports/ counts of one ticket: where it is now and its times."""

    number: int
    queue_id: int
    assignee_id: int | None
    type: str
    created_at: datetime
    closed_at: datetime | None
    first_answer_at: datetime | None
    account_id: int | None = None
    priority: int = 50


def _report_facts(tickets: QuerySet[Ticket]) -> list[ReportFacts]:
    first_answer = (
        Message.objects.filter(ticket=OuterRef("pk"), kind=MessageKind.ANSWER)
        .order_by("created_at")
        .values("created_at")[:1]
    )
    rows = tickets.order_by("number").annotate(first_answer_at=first_answer)
    return [
        ReportFacts(*row)
        for row in rows.values_list(
            "number",
            "queue_id",
            "assignee_id",
            "type",
            "created_at",
            "closed_at",
            "first_answer_at",
            "account_id",
            "priority",
        )
    ]


def report_facts(numbers: Iterable[int]) -> list[ReportFacts]:
    """The facts of these tickets (those that still exist), for the reports' roll-ups.

    The system's read, not a person's: reports/ keeps figures of every ticket
    and narrows them to what a person may see when it shows them. The first
    answer is found in ``message_thread`` (ticket, created_at). A merged ticket
    has none: its thread counts in the survivor's, and its close is no resolution.
    """
    tickets = Ticket.objects.filter(number__in=sorted(set(numbers)), merged_into__isnull=True)
    return _report_facts(tickets)


def report_facts_after(number: int, limit: int) -> list[ReportFacts]:
    """The facts of the next ``limit`` tickets after ``number``, for rebuilding the roll-ups."""
    # Merged tickets left out here too: a page of them only would end the rebuild.
    numbers = list(
        Ticket.objects.filter(number__gt=number, merged_into__isnull=True)
        .order_by("number")
        .values_list("number", flat=True)[:limit]
    )
    return report_facts(numbers)


def visible_queue_ids(user: Person) -> QuerySet[Queue, Any]:
    """The ids of the queues whose tickets the person sees as a whole, as a subquery."""
    return visible_queues(user).values("pk")
