"""Adding to many counters in one statement: the roll-ups' write.

A commit that changed a thousand tickets (a mass action's batch) moves a few
hundred counters. One ``UPDATE`` each was most of the batch's time; here they
are one ``INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count``
per few hundred keys (SQLite 3.24 and PostgreSQL both have it), which makes a
missing row and adds to an existing one alike; a row of several counters
(``Tally``: a column per measure and bucket) has each added to at once. Rows go in key order, so two
commits moving the same counters lock them in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

#: Rows per statement: well inside SQLite's limit of variables (32,766) with the
#: 34 of a ``Tally`` row.
CHUNK = 400


def add(
    model: type[models.Model],
    key_fields: Sequence[str],
    moved: Mapping[Any, int],
    count_field: str = "count",
) -> None:
    """Add ``moved[key]`` to the counter of each key (a tuple of ``key_fields``),
    making the rows that are missing. A zero is skipped."""
    add_columns(model, key_fields, {key: {count_field: n} for key, n in moved.items()})


def add_columns(
    model: type[models.Model],
    key_fields: Sequence[str],
    moved: Mapping[Any, Mapping[str, int]],
) -> None:
    """Add ``moved[key][column]`` to each counting column of each key's row, making
    the rows that are missing (their other columns 0). Zeros are skipped; only the
    columns something moved are written."""
    nonzero = {key: {c: n for c, n in counts.items() if n} for key, counts in moved.items()}
    rows = sorted((key, counts) for key, counts in nonzero.items() if counts)
    if not rows:
        return
    meta = model._meta
    fields = [_concrete(meta.get_field(name)) for name in key_fields]
    names = sorted({column for _key, counts in rows for column in counts})
    counters = [_concrete(meta.get_field(name)) for name in names]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(field.column) for field in [*fields, *counters])
    conflict = ", ".join(quote(field.column) for field in fields)
    sums = ", ".join(
        f"{quote(c.column)} = {table}.{quote(c.column)} + excluded.{quote(c.column)}"
        for c in counters
    )
    placeholders = "(" + ", ".join(["%s"] * (len(fields) + len(counters))) + ")"
    upsert = f"ON CONFLICT ({conflict}) DO UPDATE SET {sums}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values: list[Any] = []
            for key, counts in chunk:
                values.extend(
                    field.get_db_prep_value(value, connection)
                    for field, value in zip(fields, key, strict=True)
                )
                values.extend(counts.get(name, 0) for name in names)
            rows_sql = ", ".join([placeholders] * len(chunk))
            # Names come from the model, values are parameters.
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {rows_sql} {upsert}", values)  # noqa: S608


def _concrete(field: Any) -> models.Field[Any, Any]:
    assert isinstance(field, models.Field) and field.column, field
    return field
