"""Mail written in one transaction goes to the worker as a few tasks, after the commit.

Each outbox row used to queue a task of its own on commit: a mass close that
tells 10,000 customers queued 10,000 tasks, and with the embedded queue
(huey's SQLite file) each one is a commit of its own, half the job's time.
``send_after_commit`` collects the rows written in one transaction and, once
it commits, queues them in tasks of ``TASK_SIZE``. A transaction rolled back
queues nothing; rows of a savepoint rolled back are no longer there when the
task looks for them, and ``outbox.deliver`` sends nothing for a missing row.
The sweep (mail/tasks.py) still sends whatever a lost task left behind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, transaction

#: Rows per task: a task sends its mails one after another, and the worker's
#: threads take several tasks at once.
TASK_SIZE = 50


@dataclass
class _Pending:
    ids: list[int] = field(default_factory=list)
    callback: Callable[[], None] | None = None


def send_after_commit(outgoing_id: int, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Queue the sending of outbox row ``outgoing_id`` once the transaction commits
    (at once outside a transaction), with the other rows of the same transaction."""
    connection = transaction.get_connection(using)
    pending: _Pending | None = getattr(connection, "frontdesk_mail_pending", None)
    if pending is not None and _still_registered(connection, pending.callback):
        pending.ids.append(outgoing_id)
        return
    pending = _Pending(ids=[outgoing_id])

    def queue_tasks() -> None:
        _queue(pending.ids)

    pending.callback = queue_tasks
    connection.frontdesk_mail_pending = pending
    # Robust: a broken task queue must not fail the committed action; the sweep sends it.
    transaction.on_commit(queue_tasks, using=using, robust=True)


def _still_registered(connection: object, callback: Callable[[], None] | None) -> bool:
    """Is ``callback`` waiting for this transaction's commit? A rollback (of the
    transaction, or of the savepoint it was registered in) drops it, and a commit
    runs and forgets it: then a new one is needed."""
    waiting = getattr(connection, "run_on_commit", [])
    return callback is not None and any(entry[1] is callback for entry in waiting)


def _queue(ids: list[int]) -> None:
    from mail.tasks import send_outgoing_mails

    for start in range(0, len(ids), TASK_SIZE):
        send_outgoing_mails(ids[start : start + TASK_SIZE])
