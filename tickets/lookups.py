"""``number__any_of=<numbers>``: a ticket number among those a subquery finds.

Searches find numbers first (the full-text index, the addresses a ticket is
copied to) and then ask for those tickets with the visibility rule and the
criteria. On PostgreSQL ``number = ANY(ARRAY(subquery))``: the subquery runs
once, as an init plan, and each number is then found by primary key. Joined to
the index (or ``IN (subquery)``, which the planner turns into a join),
PostgreSQL hashed the matches and read every ticket to test the visibility
rule's OR (``queue IN mine OR assignee = me``): 600 ms at a million tickets.
Elsewhere it is ``number IN (subquery)``: SQLite walks the subquery's numbers
and looks each ticket up by rowid.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Lookup


class AnyOf(Lookup):  # type: ignore[type-arg]
    lookup_name = "any_of"
    # The right side is a subquery of numbers, not a number.
    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return f"{lhs} IN {rhs}", [*lhs_params, *rhs_params]

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        if not rhs.startswith("("):
            rhs = f"({rhs})"
        return f"{lhs} = ANY(ARRAY{rhs})", [*lhs_params, *rhs_params]
