"""Database helpers that make SQLite and PostgreSQL behave alike."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField
from django.dispatch import receiver


class UnicodeLower(Func):
    """LOWER() for every script: SQLite's own folds ASCII only (Факс stays Факс)."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="unicode_lower", **extra)


def _lower(value: str | None) -> str | None:
    return value.lower() if value is not None else None


@receiver(connection_created)
def add_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("unicode_lower", 1, _lower, deterministic=True)
