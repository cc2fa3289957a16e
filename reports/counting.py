"""Adding to many counters in one statement: the roll-ups' write.

A commit that changed a thousand tickets (a mass action's batch) moves a few
hundred counters. One ``UPDATE`` each was most of the batch's time; here they
are one ``INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count``
per few hundred keys (SQLite 3.24 and PostgreSQL both have it), which makes a
missing row and adds to an existing one alike. Rows go in key order, so two
commits moving the same counters lock them in the same order.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection, models

#: Rows per statement: well inside SQLite's limit of variables.
CHUNK = 400


def add(
    model: type[models.Model],
    key_fields: Sequence[str],
    moved: Mapping[Any, int],
    count_field: str = "count",
) -> None:
    """Add ``moved[key]`` to the counter of each key (a tuple of ``key_fields``),
    making the rows that are missing. A zero is skipped."""
    rows = sorted((key, n) for key, n in moved.items() if n)
    if not rows:
        return
    meta = model._meta
    fields = [_concrete(meta.get_field(name)) for name in key_fields]
    count = _concrete(meta.get_field(count_field))
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(field.column) for field in [*fields, count])
    conflict = ", ".join(quote(field.column) for field in fields)
    total = quote(count.column)
    placeholders = "(" + ", ".join(["%s"] * (len(fields) + 1)) + ")"
    upsert = f"ON CONFLICT ({conflict}) DO UPDATE SET {total} = {table}.{total} + excluded.{total}"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            values: list[Any] = []
            for key, n in chunk:
                values.extend(
                    field.get_db_prep_value(value, connection)
                    for field, value in zip(fields, key, strict=True)
                )
                values.append(n)
            rows_sql = ", ".join([placeholders] * len(chunk))
            # Names come from the model, values are parameters.
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {rows_sql} {upsert}", values)  # noqa: S608


def _concrete(field: Any) -> models.Field[Any, Any]:
    assert isinstance(field, models.Field) and field.column, field
    return field
