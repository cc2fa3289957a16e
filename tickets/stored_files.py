"""Attachment files written in a transaction that then rolled back are removed again.

A file is written before its row (the row names it), and the storage is no
part of the transaction: when the transaction rolls back (a full disk at the
second file, a Conflict in a later action of the same request, a mail that
fails after its attachments), the files it wrote would stay, named by no row.
Django has no rollback hook, so each file is remembered per thread until
its transaction commits (``on_commit`` forgets it); whoever ends the
transaction removes what is left: ``atomic()`` when it was the outermost
block, and the end of every web request as a safety net. Before removing a
file its row is looked for, so a commit whose hooks were cut short by a
failing one never loses a file. A process killed mid-transaction leaves its
files behind; they are named by no row and harm nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage
from django.db import DatabaseError, connection, transaction
from django.db.models.fields.files import FieldFile

log = logging.getLogger(__name__)

_written = threading.local()


def _pending() -> list[tuple[Storage, str]]:
    pending: list[tuple[Storage, str]] | None = getattr(_written, "files", None)
    if pending is None:
        pending = _written.files = []
    return pending


def save(field_file: FieldFile, name: str, content: File[Any]) -> None:
    """Write ``content`` as ``field_file``'s file, removed again unless its transaction
    commits; the row is saved by the caller."""
    field_file.save(name, content, save=False)
    entry = (field_file.storage, field_file.name or "")
    _pending().append(entry)
    transaction.on_commit(partial(_forget, entry), robust=True)


def _forget(entry: tuple[Storage, str]) -> None:
    pending = _pending()
    if entry in pending:
        pending.remove(entry)


@contextmanager
def atomic() -> Iterator[None]:
    """``transaction.atomic()``; as the outermost block it removes afterwards the
    files written inside that did not commit."""
    outermost = not transaction.get_connection().in_atomic_block
    try:
        with transaction.atomic():
            yield
    finally:
        if outermost:
            remove_uncommitted()


def remove_uncommitted() -> None:
    """Remove the files of this thread's transactions that ended without committing."""
    if transaction.get_connection().in_atomic_block:
        return  # still open: it may yet commit
    pending = _pending()
    if not pending:
        return
    entries = list(pending)
    pending.clear()
    from tickets.models import Attachment

    was_closed = connection.connection is None
    try:
        names = [name for _, name in entries]
        kept = set(Attachment.objects.filter(file__in=names).values_list("file", flat=True))
    except DatabaseError:
        # Without the database nobody can tell: a file too many beats a row without one.
        log.warning("could not check %d attachment files of a failed transaction", len(entries))
        return
    finally:
        if was_closed:
            # After a request Django has closed the connection already; leave it so.
            connection.close()
    for storage, name in entries:
        if name in kept:
            continue
        try:
            storage.delete(name)
        except Exception:
            log.exception("could not remove the attachment file %s of a failed transaction", name)


def after_request(**kwargs: Any) -> None:
    """``request_finished``: whatever a view's transactions left."""
    remove_uncommitted()
