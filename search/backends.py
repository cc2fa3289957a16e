"""The two databases behind one interface: SQLite FTS5 and PostgreSQL ``tsvector``.

Each backend turns a ``SearchQuery`` into its own expression, built from the
folded tokens alone, each one quoted (never from what a person typed), joins
the index to the reader's ticket queryset and writes rows. search/index.py and
search/api.py pick the backend of the connection they use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from django.contrib.postgres.search import SearchQuery as PostgresQuery
from django.contrib.postgres.search import SearchRank
from django.db import connections
from django.db.models import F, QuerySet, Value

from search.documents import Document
from search.models import TicketVector
from search.query import SearchQuery, Term
from tickets.models import Ticket


class Backend(Protocol):
    def matching(
        self, tickets: QuerySet[Ticket], query: SearchQuery, *, notes: bool, ranked: bool
    ) -> QuerySet[Ticket]: ...

    def write(self, documents: Sequence[Document], using: str) -> None: ...

    def delete(self, numbers: Iterable[int], using: str) -> None: ...

    def differing(self, documents: Sequence[Document], using: str) -> set[int]: ...

    def numbers_between(self, low: int, high: int, using: str) -> set[int]: ...

    def count(self, using: str) -> int: ...


def for_connection(using: str) -> Backend:
    vendor = connections[using].vendor
    if vendor == "sqlite":
        return SQLITE
    if vendor == "postgresql":
        return POSTGRES
    raise NotImplementedError(f"Full-text search needs SQLite or PostgreSQL, not {vendor}.")


# SQLite FTS5 -------------------------------------------------------------------

PUBLIC_COLUMNS = "{title people body}"


def fts5_expression(query: SearchQuery, *, notes: bool) -> str:
    """``"rechnung" * AND "double charge"``, exclusions with NOT, public columns only
    unless ``notes``. Tokens are letters and digits; quotes are doubled all the same."""

    def phrase(term: Term) -> str:
        quoted = '"' + " ".join(token.replace('"', '""') for token in term.tokens) + '"'
        return f"{quoted} *" if term.prefix else quoted

    expression = " AND ".join(phrase(term) for term in query.terms)
    for term in query.excluded:
        expression = f"({expression}) NOT {phrase(term)}"
    return expression if notes else f"{PUBLIC_COLUMNS} : ({expression})"


class SqliteIndex:
    def matching(
        self, tickets: QuerySet[Ticket], query: SearchQuery, *, notes: bool, ranked: bool
    ) -> QuerySet[Ticket]:
        # The join is by rowid: FTS5 finds the matching numbers, each ticket row
        # is then one primary-key look-up and the visibility test.
        found = tickets.filter(search_text__document__match=fts5_expression(query, notes=notes))
        if not ranked:
            return found.annotate(search_rank=Value(0.0))
        return found.annotate(search_rank=-F("search_text__rank"))

    def write(self, documents: Sequence[Document], using: str) -> None:
        with connections[using].cursor() as cursor:
            cursor.executemany(
                "INSERT OR REPLACE INTO search_ticket_fts (rowid, title, people, body, notes) "
                "VALUES (%s, %s, %s, %s, %s)",
                [(d.number, d.title, d.people, d.body, d.notes) for d in documents],
            )

    def delete(self, numbers: Iterable[int], using: str) -> None:
        with connections[using].cursor() as cursor:
            wanted = sorted(numbers)
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ", ".join(["%s"] * len(chunk))
                # Only placeholders are formatted in; the numbers are parameters.
                cursor.execute(f"DELETE FROM search_ticket_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def differing(self, documents: Sequence[Document], using: str) -> set[int]:
        if not documents:
            return set()
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT rowid, title, people, body, notes FROM search_ticket_fts "
                "WHERE rowid BETWEEN %s AND %s",
                [min(d.number for d in documents), max(d.number for d in documents)],
            )
            stored = {row[0]: tuple(row[1:]) for row in cursor.fetchall()}
        return {
            d.number
            for d in documents
            if stored.get(d.number) != (d.title, d.people, d.body, d.notes)
        }

    def numbers_between(self, low: int, high: int, using: str) -> set[int]:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT rowid FROM search_ticket_fts WHERE rowid BETWEEN %s AND %s", [low, high]
            )
            return {row[0] for row in cursor.fetchall()}

    def count(self, using: str) -> int:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_ticket_fts")
            return int(cursor.fetchone()[0])


# PostgreSQL tsvector -------------------------------------------------------------

#: ts_rank's weights are D, C, B, A: notes 0.1, body 0.2, people 0.4, title 1.0.
WEIGHTS = {"title": "A", "people": "B", "body": "C", "notes": "D"}
PUBLIC_WEIGHTS = "ABC"
#: PostgreSQL keeps positions up to 16383 and at most 256 of them for a lexeme.
MAX_POSITION = 16383
MAX_POSITIONS = 256


def _quoted(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def tsquery_expression(query: SearchQuery, *, notes: bool) -> str:
    """``'rechnung':* & ('double' <-> 'charge') & !'spam':*``, each lexeme quoted,
    limited to the public weights (title, people, body) unless ``notes``."""
    weights = "" if notes else PUBLIC_WEIGHTS

    def phrase(term: Term) -> str:
        lexemes = []
        for n, token in enumerate(term.tokens):
            star = "*" if term.prefix and n == len(term.tokens) - 1 else ""
            label = f":{star}{weights}" if star or weights else ""
            lexemes.append(_quoted(token) + label)
        return "(" + " <-> ".join(lexemes) + ")"

    expression = " & ".join(phrase(term) for term in query.terms)
    for term in query.excluded:
        expression += f" & !{phrase(term)}"
    return expression


def tsvector_literal(document: Document) -> str:
    """The document as a ``tsvector`` literal: positions in order, one unused
    position between parts so a phrase never runs from one into the next."""
    positions: dict[str, list[str]] = {}
    position = 0
    for part, weight in WEIGHTS.items():
        for token in getattr(document, part).split():
            position = min(position + 1, MAX_POSITION)
            found = positions.setdefault(token, [])
            if len(found) < MAX_POSITIONS:
                found.append(f"{position}{weight}")
        position += 1
    return " ".join(f"{_quoted(token)}:{','.join(at)}" for token, at in positions.items())


class TsQuery(PostgresQuery):
    """A ``tsquery`` we built (``tsquery_expression``), cast as it is: no parser
    splits or drops its lexemes, as ``to_tsquery`` would."""

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> Any:
        return super().as_sql(compiler, connection, template="%(expressions)s::tsquery")


class PostgresIndex:
    def matching(
        self, tickets: QuerySet[Ticket], query: SearchQuery, *, notes: bool, ranked: bool
    ) -> QuerySet[Ticket]:
        wanted = TsQuery(tsquery_expression(query, notes=notes))
        numbers = TicketVector.objects.filter(vector=wanted).values("ticket_id")
        # The matching numbers first, then each ticket by primary key (tickets/lookups.py).
        found = tickets.filter(number__any_of=numbers)
        if not ranked:
            return found.annotate(search_rank=Value(0.0))
        # Ranked by what was asked for: ts_rank counts a left-out word as missing.
        asked = TsQuery(tsquery_expression(replace(query, excluded=()), notes=notes))
        return found.annotate(search_rank=SearchRank(F("search_vector__vector"), asked))

    def write(self, documents: Sequence[Document], using: str) -> None:
        # A rebuild that read a ticket before a change never overwrites the row
        # the change wrote after it (the version is the ticket's).
        if not documents:
            return
        # One statement for the batch: the rows travel as three arrays.
        with connections[using].cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_ticket_vector (ticket_id, version, vector) "
                "SELECT number, version, vector::tsvector "
                "FROM unnest(%s::bigint[], %s::integer[], %s::text[]) "
                "AS row(number, version, vector) "
                "ON CONFLICT (ticket_id) DO UPDATE "
                "SET version = EXCLUDED.version, vector = EXCLUDED.vector "
                "WHERE search_ticket_vector.version <= EXCLUDED.version",
                [
                    [d.number for d in documents],
                    [d.version for d in documents],
                    [tsvector_literal(d) for d in documents],
                ],
            )

    def delete(self, numbers: Iterable[int], using: str) -> None:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "DELETE FROM search_ticket_vector WHERE ticket_id = ANY(%s)", [list(numbers)]
            )

    def differing(self, documents: Sequence[Document], using: str) -> set[int]:
        if not documents:
            return set()
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT expected.number FROM unnest(%s::bigint[], %s::text[]) "
                "AS expected(number, vector) "
                "LEFT JOIN search_ticket_vector stored ON stored.ticket_id = expected.number "
                "WHERE stored.vector IS DISTINCT FROM expected.vector::tsvector",
                [[d.number for d in documents], [tsvector_literal(d) for d in documents]],
            )
            return {row[0] for row in cursor.fetchall()}

    def numbers_between(self, low: int, high: int, using: str) -> set[int]:
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT ticket_id FROM search_ticket_vector WHERE ticket_id BETWEEN %s AND %s",
                [low, high],
            )
            return {row[0] for row in cursor.fetchall()}

    def count(self, using: str) -> int:
        with connections[using].cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_ticket_vector")
            return int(cursor.fetchone()[0])


SQLITE = SqliteIndex()
POSTGRES = PostgresIndex()
