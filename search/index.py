"""Writing the index: one ticket after a change, or every ticket in batches.

Every write builds the documents and writes them in one transaction: on
SQLite that transaction holds the write lock from its start (IMMEDIATE), so a
ticket cannot change between being read and being written; on PostgreSQL a
row is never overwritten by one built from an older ticket version. So a
rebuild may run while the desk is in use, and running it twice changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.apps import apps as global_apps
from django.apps.registry import Apps
from django.db import transaction

from search.backends import for_connection
from search.documents import build

BATCH_SIZE = 1000
#: Above every ticket number (numbers are 64-bit and never reused).
_LAST_NUMBER = 2**63 - 1


def index_tickets(
    numbers: Iterable[int], *, using: str = "default", apps: Apps = global_apps
) -> int:
    """Bring the rows of these tickets up to date; a ticket that is gone loses its row."""
    wanted = sorted(set(numbers))
    if not wanted:
        return 0
    backend = for_connection(using)
    with transaction.atomic(using=using):
        documents = build(wanted, apps=apps, using=using)
        backend.write(documents, using)
        gone = set(wanted) - {document.number for document in documents}
        if gone:
            backend.delete(gone, using)
    return len(documents)


def remove(numbers: Iterable[int], *, using: str = "default") -> None:
    with transaction.atomic(using=using):
        for_connection(using).delete(list(numbers), using)


def _batches(using: str, apps: Apps, batch_size: int) -> Iterable[tuple[int, list[int]]]:
    """(numbers after ``low``, up to and including the last of them), in number order."""
    Ticket = apps.get_model("tickets", "Ticket")
    low = 0
    while True:
        numbers = list(
            Ticket.objects.using(using)
            .filter(number__gt=low)
            .order_by("number")
            .values_list("number", flat=True)[:batch_size]
        )
        yield low, numbers
        if not numbers:
            return
        low = numbers[-1]


def ticket_count(*, using: str = "default", apps: Apps = global_apps) -> int:
    count: int = apps.get_model("tickets", "Ticket").objects.using(using).count()
    return count


def rebuild(
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    using: str = "default",
    apps: Apps = global_apps,
) -> int:
    """Write every ticket's row, ``batch_size`` tickets a transaction, and remove the
    rows of tickets that are gone. ``progress`` hears how many are done."""
    backend = for_connection(using)
    done = 0
    for low, numbers in _batches(using, apps, batch_size):
        high = numbers[-1] if numbers else _LAST_NUMBER
        with transaction.atomic(using=using):
            documents = build(numbers, apps=apps, using=using) if numbers else []
            backend.write(documents, using)
            kept = {document.number for document in documents}
            orphans = backend.numbers_between(low + 1, high, using) - kept
            if orphans:
                backend.delete(orphans, using)
        done += len(numbers)
        if progress is not None and numbers:
            progress(done)
    return done


@dataclass
class Verification:
    """What differs between the index and the tickets (empty: all is well)."""

    checked: int = 0
    #: tickets whose row is missing or holds other words than the ticket now has
    stale: list[int] = field(default_factory=list)
    #: rows whose ticket is gone
    orphans: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.stale and not self.orphans


def verify(
    *,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[int], None] | None = None,
    using: str = "default",
) -> Verification:
    """Compare every row with what the ticket would make now; write nothing."""
    backend = for_connection(using)
    result = Verification()
    for low, numbers in _batches(using, global_apps, batch_size):
        high = numbers[-1] if numbers else _LAST_NUMBER
        documents = build(numbers, using=using) if numbers else []
        result.stale.extend(sorted(backend.differing(documents, using)))
        kept = {document.number for document in documents}
        result.orphans.extend(sorted(backend.numbers_between(low + 1, high, using) - kept))
        result.checked += len(numbers)
        if progress is not None and numbers:
            progress(result.checked)
    return result
