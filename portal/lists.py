"""My tickets: a customer's three lists, searched, sorted, one page at a time (S33).

The tickets and their counts come from tickets/queries.py; this module only
presents them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.auth import CustomerRequest
from tickets import queries

PAGE_SIZE = 30
#: Longer search text finds nothing more (queries.MAX_WORDS words count).
SEARCH_LENGTH = 200

#: The tabs, in the order shown: (state, tab label, what the empty tab says).
TABS = (
    (
        queries.WAITING,
        pgettext_lazy("tab of tickets", "Open"),
        _("No open tickets: nothing waits for support."),
    ),
    (
        queries.ANSWERED,
        pgettext_lazy("tab of tickets", "Answered"),
        _("No answered tickets wait for you."),
    ),
    (queries.CLOSED, pgettext_lazy("tab of tickets", "Closed"), _("No closed tickets yet.")),
)

SORTS = (
    ("-modified", _("Recently updated")),
    ("modified", _("Least recently updated")),
    ("-created", _("Newest")),
    ("created", _("Oldest")),
    ("title", _("Title, A to Z")),
    ("-title", _("Title, Z to A")),
    ("status", _("Status")),
)


@dataclass(frozen=True)
class Tab:
    state: str
    label: str
    count: int
    url: str
    current: bool


def _url(request: HttpRequest, **changes: str) -> str:
    """This list's address with some parameters changed, back on its first page."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    encoded = query.urlencode()
    return reverse("portal:home") + (f"?{encoded}" if encoded else "")


def ticket_list(request: CustomerRequest) -> dict[str, Any]:
    """Everything the list page shows: tabs with counts, one page of one tab, the search."""
    user = request.user
    words = queries.search_text(request.GET.get("q", ""))[:SEARCH_LENGTH]
    state = request.GET.get("show", "")
    if state not in queries.CUSTOMER_STATES:
        state = queries.WAITING
    sort = queries.clean_customer_sort(request.GET.get("sort", ""))
    counts = queries.customer_counts(user, words=words)
    tickets = queries.in_customer_order(
        queries.customer_tickets(user, state=state, words=words), sort
    )
    page = Paginator(tickets, PAGE_SIZE).get_page(request.GET.get("page"))
    tabs = [
        Tab(key, str(label), counts[key], _url(request, show=key), key == state)
        for key, label, _ in TABS
    ]
    elsewhere = [tab for tab in tabs if tab.count and not tab.current]
    return {
        "section": "tickets",
        "tabs": tabs,
        "state": state,
        "page": page,
        "words": words,
        "sort": sort,
        "sorts": SORTS,
        "empty": next(text for key, _, text in TABS if key == state),
        "elsewhere": elsewhere,
        "total": sum(counts.values()),
        "previous_url": _page_url(request, page.previous_page_number())
        if page.has_previous()
        else "",
        "next_url": _page_url(request, page.next_page_number()) if page.has_next() else "",
    }


def _page_url(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"{reverse('portal:home')}?{query.urlencode()}"
