"""The search interface (see search/__init__.py): parse, match, excerpt, count.

``matching`` narrows the queryset it is given, which already carries the
reader's visibility rule, so results, counts and snippets of what it returns
can never include a ticket the reader may not see.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet, Value
from django.utils.safestring import SafeString

from search import snippets as _snippets
from search.backends import for_connection
from search.query import SearchQuery, Term, parse
from tickets.models import Ticket

__all__ = ["SearchQuery", "Term", "count_capped", "matching", "parse", "snippets"]


def matching(
    tickets: QuerySet[Ticket], query: SearchQuery, *, notes: bool, ranked: bool = True
) -> QuerySet[Ticket]:
    """The tickets of ``tickets`` that match, annotated with ``search_rank`` (higher is
    better; unordered: the caller sorts, by ``-search_rank`` for relevance).

    ``notes``: whether internal notes count (staff); customers' searches never
    match words that only a note holds. ``ranked=False`` leaves the rank 0 and
    costs nothing: a rank is computed for every match before any is sorted
    (PostgreSQL's ``ts_rank`` reads each match's whole ``tsvector``), so only a
    search sorted by rank asks for it. An empty query matches nothing.
    """
    if not query:
        return tickets.none().annotate(search_rank=Value(0.0))
    return for_connection(tickets.db).matching(tickets, query, notes=notes, ranked=ranked)


def snippets(
    ticket_ids: Iterable[int],
    query: SearchQuery,
    *,
    notes: bool,
    within: QuerySet[Ticket] | None = None,
) -> dict[int, SafeString]:
    """For the tickets of one page, the matching text, escaped, with the words in
    ``<mark>``; notes' text only when ``notes``. ``within`` (the reader's
    visible tickets) drops any id outside it."""
    return _snippets.snippets(ticket_ids, query, notes=notes, within=within)


def count_capped(tickets: QuerySet[Ticket], cap: int = 10_000) -> tuple[int, bool]:
    """``(n, more)``: how many rows, counting no further than ``cap``; ``more`` when
    there are more than ``cap`` (show "10,000+"). The count reads at most
    ``cap + 1`` rows, whatever the size of the desk."""
    found = tickets.order_by().values("pk")[: cap + 1].count()
    return min(found, cap), found > cap
