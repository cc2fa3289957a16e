"""Permanent deletion (S23): the ticket, its thread, history and files, for good."""

from __future__ import annotations

import logging

from django.db import transaction

from accounts.models import User
from tickets import signals
from tickets.actions.core import announce, lock, require_supervisor
from tickets.models import Attachment, Ticket

log = logging.getLogger(__name__)


@transaction.atomic
def delete_permanently(
    *, actor: User, ticket: Ticket | int, expected_version: int | None = None
) -> None:
    require_supervisor(actor)
    locked = lock(ticket, actor, expected_version)
    files = [
        attachment.file.name for attachment in Attachment.objects.filter(message__ticket=locked)
    ]
    number = locked.number
    locked.delete()
    log.info("ticket #%s deleted permanently by %s", number, actor)

    def remove_files() -> None:
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    # Its history went with it: the signal names the ticket and who deleted it.
    announce(signals.deleted, number, actor, [])
