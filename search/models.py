"""The index's tables: one per database, each made only on its own (search/migrations/0001).

SQLite keeps an FTS5 table, PostgreSQL a table of ``tsvector``s with a GIN
index. Both are keyed by the ticket number and joined to the ticket table by
``search.api.matching``; neither has a foreign key, so deleting a ticket never
waits for the index (its row goes when the ``deleted`` signal arrives, and a
join never finds a row without its ticket). Rows are written by search/index.py
only, never through these models; the models let the ORM join and filter.
"""

from __future__ import annotations

from typing import Any

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Lookup

from tickets.models import Ticket


class FtsTableColumn(models.TextField):  # type: ignore[type-arg]
    """FTS5's hidden column named like its table: the left side of MATCH."""


@FtsTableColumn.register_lookup
class Match(Lookup):  # type: ignore[type-arg]
    lookup_name = "match"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class TicketText(models.Model):
    """SQLite: the FTS5 table ``search_ticket_fts``; its rowid is the ticket number."""

    ticket = models.OneToOneField(
        Ticket,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_text",
    )
    title = models.TextField()
    people = models.TextField()
    body = models.TextField()
    notes = models.TextField()
    # Hidden columns of FTS5: the table's own (for MATCH) and ``rank`` (bm25 with
    # the column weights the migration set; lower is better).
    document = FtsTableColumn(db_column="search_ticket_fts")
    rank = models.FloatField()

    class Meta:
        db_table = "search_ticket_fts"

    def __str__(self) -> str:
        return f"words of #{self.ticket_id}"


class TicketVector(models.Model):
    """PostgreSQL: the ticket's words as a ``tsvector``, title A, people B, body C, notes D."""

    ticket = models.OneToOneField(
        Ticket,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_vector",
    )
    # The ticket version the row was built from: a rebuild never overwrites a newer row.
    version = models.PositiveIntegerField()
    vector = SearchVectorField()

    class Meta:
        db_table = "search_ticket_vector"
        indexes = [GinIndex(fields=["vector"], name="search_vector_gin")]

    def __str__(self) -> str:
        return f"words of #{self.ticket_id}"
