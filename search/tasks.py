"""Index work for the worker: many tickets at once, or a write that failed in the request."""

from __future__ import annotations

from collections.abc import Iterable

from huey.contrib.djhuey import db_task

from search import index
from tickets.models import Ticket


@db_task(retries=3, retry_delay=30)
def index_later(numbers: list[int]) -> int:
    return index.index_tickets(numbers)


@db_task(retries=3, retry_delay=30)
def reindex_account(account_id: int) -> int:
    return _in_batches(
        Ticket.objects.filter(account_id=account_id).values_list("number", flat=True)
    )


@db_task(retries=3, retry_delay=30)
def reindex_requesters(emails: list[str]) -> int:
    return _in_batches(
        Ticket.objects.filter(requester_email__in=emails).values_list("number", flat=True)
    )


def _in_batches(numbers: Iterable[int]) -> int:
    wanted = sorted(numbers)
    done = 0
    for start in range(0, len(wanted), index.BATCH_SIZE):
        done += index.index_tickets(wanted[start : start + index.BATCH_SIZE])
    return done
