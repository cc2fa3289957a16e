"""The panel's search results: one table for the quick search (S16), the advanced
search (S22) and saved views, ranked, with snippets, a capped count and pages that
never count every row.

The tickets come from ``tickets.queries.find_tickets``; this module only presents
one page of them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import unescape
from typing import Any

from django import forms
from django.http import HttpRequest, QueryDict
from django.utils.formats import number_format
from django.utils.html import strip_tags
from django.utils.safestring import SafeString
from django.utils.translation import gettext, gettext_lazy

from accounts.models import User
from panel.auth import is_supervising
from panel.lists import Column
from search import api as search
from tickets import queries
from tickets.criteria import Criteria, CriteriaForm
from tickets.models import Ticket

PAGE_SIZE = 25
#: A search counts its results up to here and says "1,000+" beyond: counting every
#: match of a common word in a million tickets would cost more than finding them.
COUNT_CAP = 1000
# The count tells whether a search sorted by rank has too many matches to rank.
assert COUNT_CAP >= queries.RANKED_UP_TO
# Deeper than anybody pages; a refined search is the way on.
MAX_PAGE = 400

COLUMN_LABELS = {
    "title": gettext_lazy("Title"),
    "priority": gettext_lazy("Priority"),
    "created": gettext_lazy("Created"),
    "modified": gettext_lazy("Modified"),
    "type": gettext_lazy("Type"),
    "status": gettext_lazy("Status"),
}
# Numbers and times are most useful newest/highest first on the first click.
DESCENDING_FIRST = {"number", "priority", "created", "modified"}


@dataclass
class Row:
    ticket: Ticket
    snippet: SafeString | None = None


@dataclass
class Source:
    """What the table is of; ``key`` makes its ids unique on the page (as panel/lists.py)."""

    key: str
    title: str
    url: str
    empty: str


@dataclass
class Results:
    """Everything the results partial shows."""

    source: Source
    criteria: Criteria
    rows: list[Row]
    #: Results counted, up to ``COUNT_CAP + 1``.
    counted: int
    page_number: int
    number_column: Column
    columns: list[Column]
    can_supervise: bool
    previous_url: str = ""
    next_url: str = ""
    best_match_url: str = ""
    extra_query: dict[str, str] = field(default_factory=dict)
    #: Sorted by rank, but too many matched to rank them: newest first.
    newest_first: bool = False
    #: The service level's column, last (after the assignee; panel/lists.py says why).
    due_column: Column | None = None

    @property
    def ranked_up_to(self) -> str:
        return number_format(queries.RANKED_UP_TO, force_grouping=True)

    @property
    def capped(self) -> bool:
        return self.counted > COUNT_CAP

    @property
    def count_label(self) -> str:
        """ "37", or "1,000+" when there are more than can be counted cheaply."""
        if self.capped:
            return f"{number_format(COUNT_CAP, force_grouping=True)}+"
        return number_format(self.counted, force_grouping=True)

    @property
    def pages(self) -> int | None:
        """How many pages there are, when the count is exact."""
        if self.capped:
            return None
        return max(1, -(-self.counted // PAGE_SIZE))

    @property
    def criteria_query(self) -> str:
        """The search as a query string: a mass action on all its results takes it."""
        return self.criteria.to_querystring()

    @property
    def has_text(self) -> bool:
        return bool(self.criteria.text)


def page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "")
    number = int(value) if value.isdigit() and len(value) < 6 else 1
    return min(max(number, 1), MAX_PAGE)


def _url(base: str, query: QueryDict, **changes: str | int) -> str:
    query = query.copy()
    query.pop("page", None)
    for key, value in changes.items():
        if value in ("", 1) and key == "page":
            continue
        query[key] = str(value)
    encoded = query.urlencode()
    return f"{base}?{encoded}" if encoded else base


def build_results(
    request: HttpRequest,
    user: User,
    criteria: Criteria,
    source: Source,
    *,
    query: QueryDict | None = None,
) -> Results:
    """One page of the tickets ``criteria`` finds for ``user``, with snippets when words
    were given. ``query`` is what the table's links keep (the page's own query string
    by default); they change only ``sort`` and ``page``."""
    query = request.GET if query is None else query
    number = page_number(request)
    # Counted on every page, capped: a count taken only when a page is full would
    # make the queries of a page depend on how many rows there are.
    page = queries.search_page(user, criteria, page=number, size=PAGE_SIZE, cap=COUNT_CAP)
    found, counted = page.tickets, page.counted
    rows = [Row(ticket) for ticket in found[:PAGE_SIZE]]
    if criteria.text and rows:
        marked = search.snippets(
            [row.ticket.number for row in rows], search.parse(criteria.text), notes=True
        )
        for row in rows:
            row.snippet = _beyond_the_title(marked.get(row.ticket.number), row.ticket.title)
    sort = criteria.ordering
    results = Results(
        source=source,
        criteria=criteria,
        rows=rows,
        counted=counted,
        page_number=number,
        number_column=_column("number", gettext("Number"), sort, source.url, query),
        columns=[
            _column(key, str(label), sort, source.url, query)
            for key, label in COLUMN_LABELS.items()
        ],
        can_supervise=is_supervising(user),
        newest_first=page.newest_first,
        due_column=_column("due", gettext("Due"), sort, source.url, query),
    )
    if criteria.text and sort != "rank":
        results.best_match_url = _url(source.url, query, sort="rank")
    if number > 1:
        results.previous_url = _url(source.url, query, page=number - 1)
    if len(found) > PAGE_SIZE and number < MAX_PAGE:
        results.next_url = _url(source.url, query, page=number + 1)
    return results


def _beyond_the_title(snippet: SafeString | None, title: str) -> SafeString | None:
    """The snippet, unless it only repeats the title shown above it."""
    if snippet is None:
        return None
    said = " ".join(unescape(strip_tags(snippet)).split())
    return None if said == " ".join(title.split()) else snippet


def criteria_summary(form: CriteriaForm) -> list[str]:
    """The criteria of a valid form in words ("Queue: Billing, Sales"), for the line
    that stands for the folded form above the results."""
    summary = []
    for name, criterion in form.fields.items():
        value = form.cleaned_data.get(name)
        if name in ("text", "sort") or value in (None, "", [], False):
            continue
        if isinstance(criterion, forms.BooleanField):
            summary.append(str(criterion.label))
            continue
        values = value if isinstance(value, list) else [value]
        if isinstance(criterion, forms.ChoiceField):
            choices: Any = criterion.choices
            labels = {str(key): str(label) for key, label in choices}
            values = [labels.get(str(each), str(each)) for each in values]
        summary.append(f"{criterion.label}: {', '.join(str(each) for each in values)}")
    return summary


def _column(key: str, label: str, sort: str, base: str, query: QueryDict) -> Column:
    if sort.lstrip("-") == key:
        direction = "descending" if sort.startswith("-") else "ascending"
        toggled = key if sort.startswith("-") else f"-{key}"
    else:
        direction = ""
        toggled = f"-{key}" if key in DESCENDING_FIRST else key
    return Column(key, label, _url(base, query, sort=toggled), direction)
