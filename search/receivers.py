"""Keeping the index current: receivers of the domain signals, and of account changes.

Synchronous, after the commit: re-indexing one ticket is four small reads and
one row written, 1.6 ms where queueing a task for the worker costs 4 ms
(docs/benchmarks.md, "Search"), and the person who just wrote a note finds it
at once. Should the write fail (a database busy for longer than its
timeout), the ticket goes to the worker instead (``tasks.index_later``).

Accounts and contacts have no domain signals of their own and are changed in
the panel and in Django's admin alike, so their model signals are heard here:
a renamed account re-indexes its tickets, a contact whose name or address
changes re-indexes the tickets it asked for; more than ``AT_ONCE`` of them go
to the worker.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.db import DatabaseError, transaction
from django.db.models.signals import post_save, pre_delete, pre_save

from accounts.models import Account, Contact
from search import index, tasks
from tickets import signals
from tickets.models import Ticket

log = logging.getLogger(__name__)

#: Changes that leave every indexed word as it was: nothing to do. Closing,
#: reopening and moving carry no text and change no indexed field (status and
#: queue are read from the ticket row); re-indexing each closed ticket was most
#: of a mass close's time.
UNCHANGED_WORDS = frozenset(
    {
        signals.closed,
        signals.reopened,
        signals.moved,
        signals.picked_up,
        signals.assigned,
        signals.released,
        signals.escalated,
        signals.system_event_recorded,
        signals.viewed_as_customer,
        signals.decrypted,
    }
)
#: Of the properties, these are indexed (status, priority and sticky are not).
INDEXED_PROPERTIES = frozenset({"title", "requester_email"})
#: Tickets re-indexed in the request after an account or contact change; more go to the worker.
AT_ONCE = 200


def after_commit(function: Callable[[], None]) -> None:
    """Run once the current transaction commits (tests replace it to run at once)."""
    transaction.on_commit(function, robust=True)


def ticket_changed(
    sender: Any, signal: signals.DomainSignal, change: signals.TicketChange, **kwargs: Any
) -> None:
    if signal in UNCHANGED_WORDS:
        return
    if signal is signals.properties_changed and not change.codes & INDEXED_PROPERTIES:
        return
    if signal is signals.deleted:
        return  # ``tickets_deleted``: the whole commit's at once
    reindex([change.number])


def tickets_deleted(sender: Any, changes: list[signals.Sent], **kwargs: Any) -> None:
    """The deleted tickets of a commit out of the index in one statement (a mass
    deletion's batch deletes hundreds)."""
    deleted = [change.number for signal, change in changes if signal is signals.deleted]
    if deleted:
        index.remove(deleted)


def reindex(numbers: list[int]) -> None:
    """Now, or by the worker when the database refuses now."""
    try:
        index.index_tickets(numbers)
    except DatabaseError:
        log.warning("indexing tickets %s failed; the worker will retry", numbers, exc_info=True)
        tasks.index_later(numbers)


def connect() -> None:
    for signal in signals.ALL:
        signal.connect(ticket_changed, dispatch_uid=f"search.{signal.kind}")
    signals.committed.connect(tickets_deleted, dispatch_uid="search.deleted")
    pre_save.connect(_remember_account_name, sender=Account, dispatch_uid="search.account")
    post_save.connect(_account_saved, sender=Account, dispatch_uid="search.account")
    pre_delete.connect(_account_deleted, sender=Account, dispatch_uid="search.account")
    pre_save.connect(_remember_contact, sender=Contact, dispatch_uid="search.contact")
    post_save.connect(_contact_saved, sender=Contact, dispatch_uid="search.contact")
    pre_delete.connect(_contact_deleted, sender=Contact, dispatch_uid="search.contact")


# Accounts and contacts --------------------------------------------------------------


def _remember_account_name(instance: Account, **kwargs: Any) -> None:
    instance._search_old_name = (  # type: ignore[attr-defined]
        Account.objects.filter(pk=instance.pk).values_list("name", flat=True).first()
        if instance.pk
        else None
    )


def _account_saved(instance: Account, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_search_old_name", None)
    if not created and old is not None and old != instance.name:
        after_commit(partial(reindex_account, instance.pk))


def _account_deleted(instance: Account, **kwargs: Any) -> None:
    # Its tickets lose the account (SET NULL) without a domain signal: note them now.
    numbers = list(Ticket.objects.filter(account_id=instance.pk).values_list("number", flat=True))
    if numbers:
        after_commit(partial(reindex_numbers, numbers))


def _remember_contact(instance: Contact, **kwargs: Any) -> None:
    instance._search_old = (  # type: ignore[attr-defined]
        Contact.objects.filter(pk=instance.pk).values_list("name", "email").first()
        if instance.pk
        else None
    )


def _contact_saved(instance: Contact, created: bool, **kwargs: Any) -> None:
    old = getattr(instance, "_search_old", None)
    if old == (instance.name, instance.email):
        return
    emails = {instance.email.lower()}
    if old is not None:
        emails.add(old[1].lower())
    elif not instance.name:
        return  # a new contact without a name adds no word
    after_commit(partial(reindex_requesters, sorted(emails)))


def _contact_deleted(instance: Contact, **kwargs: Any) -> None:
    if instance.name:
        after_commit(partial(reindex_requesters, [instance.email.lower()]))


def reindex_account(account_id: int) -> None:
    tickets = Ticket.objects.filter(account_id=account_id)
    if tickets[: AT_ONCE + 1].count() > AT_ONCE:
        tasks.reindex_account(account_id)
    else:
        reindex(list(tickets.values_list("number", flat=True)))


def reindex_requesters(emails: list[str]) -> None:
    tickets = Ticket.objects.filter(requester_email__in=emails)
    if tickets[: AT_ONCE + 1].count() > AT_ONCE:
        tasks.reindex_requesters(emails)
    else:
        reindex(list(tickets.values_list("number", flat=True)))


def reindex_numbers(numbers: list[int]) -> None:
    if len(numbers) > AT_ONCE:
        for start in range(0, len(numbers), index.BATCH_SIZE):
            tasks.index_later(numbers[start : start + index.BATCH_SIZE])
    else:
        reindex(numbers)
