"""The excerpt a result list shows: where the words were found, escaped, marked.

Snippets are cut from the stored text of the messages (what the thread
shows), not from the index, which holds folded words only: the words are
found the way the index finds them (search/text.py), so "Müller" is marked
for ``muller``. The text is escaped first and only then are ``<mark>`` tags
put around the words, so nothing a customer wrote can become markup.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from frontdesk.text import without_bidi_controls
from search.query import SearchQuery, Term
from search.text import Token, prepared, tokens
from tickets.models import Message, MessageKind, Ticket

#: Characters of text around the first match.
BEFORE, AFTER = 60, 140
#: Only the start of a long message is searched for a snippet.
READ_CHARACTERS = 20_000
PUBLIC_KINDS = (MessageKind.CUSTOMER, MessageKind.ANSWER)
STAFF_KINDS = (*PUBLIC_KINDS, MessageKind.NOTE, MessageKind.SYSTEM)
_SPACE = re.compile(r"\s+")


def snippets(
    ticket_ids: Iterable[int],
    query: SearchQuery,
    *,
    notes: bool,
    within: QuerySet[Ticket] | None = None,
) -> dict[int, SafeString]:
    """For each ticket, an excerpt of its first message with a match (notes only
    when ``notes``), else of its title, else the start of its first message."""
    tickets = within if within is not None else Ticket.objects.all()
    titles = dict(tickets.filter(pk__in=list(ticket_ids)).values_list("pk", "title"))
    texts: dict[int, list[str]] = defaultdict(list)
    for ticket_id, text in (
        Message.objects.filter(
            ticket_id__in=list(titles), kind__in=STAFF_KINDS if notes else PUBLIC_KINDS
        )
        .order_by("ticket_id", "created_at", "id")
        .values_list("ticket_id", "text")
    ):
        texts[ticket_id].append(text[:READ_CHARACTERS])
    return {
        number: excerpt([*texts.get(number, []), title], query) for number, title in titles.items()
    }


def excerpt(texts: Sequence[str], query: SearchQuery) -> SafeString:
    """The first of ``texts`` with a match, around it; else the start of the first."""
    for text in texts:
        text = prepared(text)
        found = marked_spans(list(tokens(text)), query.terms)
        if found:
            return _cut(text, found)
    return _cut(prepared(texts[0]), []) if texts else mark_safe("")


def marked_spans(found: list[Token], terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Character spans of every match of a term, overlapping ones merged, in order."""
    spans: list[tuple[int, int]] = []
    for n in range(len(found)):
        for term in terms:
            size = len(term.tokens)
            if n + size <= len(found) and all(
                _same(found[n + k].text, term, k) for k in range(size)
            ):
                spans.append((found[n].start, found[n + size - 1].end))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _same(token: str, term: Term, k: int) -> bool:
    wanted = term.tokens[k]
    if term.prefix and k == len(term.tokens) - 1:
        return token.startswith(wanted)
    return token == wanted


def _cut(text: str, spans: list[tuple[int, int]]) -> SafeString:
    first, first_end = spans[0] if spans else (0, 0)
    start = max(0, first - BEFORE)
    end = min(len(text), first_end + AFTER)
    # Whole words at the edges.
    if start > 0:
        space = text.find(" ", start, first)
        start = space + 1 if space != -1 else start
    if end < len(text):
        space = text.rfind(" ", max(first_end, end - 30), end)
        end = space if space != -1 else end
    pieces = ["…" if start > 0 else ""]
    position = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(_plain(text[position:span_start]))
        pieces.append(f"<mark>{_plain(text[span_start:span_end])}</mark>")
        position = span_end
    pieces.append(_plain(text[position:end]))
    pieces.append("…" if end < len(text) else "")
    return mark_safe("".join(pieces).strip())  # noqa: S308 - every piece escaped above


def _plain(text: str) -> str:
    """Escaped, on one line, without direction controls that would reorder the row."""
    return str(escape(_SPACE.sub(" ", without_bidi_controls(text))))
