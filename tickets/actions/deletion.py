"""Permanent deletion (S23): the ticket, its thread, history and files, for good."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.db import transaction

from accounts.models import User
from tickets import signals
from tickets.actions.core import EachOutcome, announce, lock, lock_each, require_supervisor
from tickets.models import Attachment, Ticket

log = logging.getLogger(__name__)


@transaction.atomic
def delete_permanently(
    *, actor: User, ticket: Ticket | int, expected_version: int | None = None
) -> None:
    require_supervisor(actor)
    _delete([lock(ticket, actor, expected_version)], actor)


def delete_each(*, actor: User, selection: Sequence[tuple[int, int | None]]) -> EachOutcome:
    """``delete_permanently`` for many tickets in one transaction (a mass deletion's
    batch): locked by one query, deleted by one; ``changed`` lists the deleted."""
    require_supervisor(actor)
    outcome = EachOutcome()
    with transaction.atomic():
        outcome.changed = lock_each(selection, actor, outcome.refused)
        if outcome.changed:
            _delete(outcome.changed, actor)
    return outcome


def _delete(tickets: list[Ticket], actor: User) -> None:
    """The tickets with their thread, history and rows; their files once it commits."""
    numbers = [ticket.number for ticket in tickets]
    files = list(
        Attachment.objects.filter(message__ticket__in=numbers).values_list("file", flat=True)
    )
    Ticket.objects.filter(number__in=numbers).delete()
    for number in numbers:
        log.info("ticket #%s deleted permanently by %s", number, actor)

    def remove_files() -> None:
        storage = Attachment._meta.get_field("file").storage
        for name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)
    # Their history went with them: the signal names each ticket and who deleted it.
    for number in numbers:
        announce(signals.deleted, number, actor, [])
