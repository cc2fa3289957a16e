"""Deliveries written when a ticket changes: receivers of the domain signals.

The signals are sent after the change committed (tickets/signals.py), so the
deliveries describe a change that happened; each is handed to the worker once
written. A process that dies between the commit and this receiver loses the
webhook events of that change, as it loses the search index's update; the
mail outbox, which must not lose a customer's mail, uses tickets/hooks.py.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from tickets import signals
from tickets.models import Ticket
from webhooks import events, outbox
from webhooks.models import Delivery, Webhook

log = logging.getLogger(__name__)


def connect() -> None:
    signals.committed.connect(tickets_changed, weak=False, dispatch_uid="webhooks")


def tickets_changed(sender: Any, changes: list[signals.Sent], **kwargs: Any) -> None:
    """Every change of a commit (a mass action's batch is one): the webhooks are
    read once for them all, and nothing more is read when none is active."""
    hooks = [hook for hook in Webhook.objects.filter(is_active=True) if hook.event_kinds]
    if not hooks:
        return
    for _signal, change in changes:
        try:
            ticket_changed(hooks, change)
        except Exception:
            # As a receiver of each change would: the others still get theirs.
            log.exception("webhook deliveries of ticket #%s failed", change.number)


def ticket_changed(hooks: list[Webhook], change: signals.TicketChange) -> None:
    if change.kind == "deleted":
        return
    history = events.described_history(change)
    kinds = [
        kind for kind in events.kinds_of(change, history) if any(hook.wants(kind) for hook in hooks)
    ]
    if not kinds:
        return
    ticket = (
        Ticket.objects.select_related("queue", "assignee", "account")
        .filter(pk=change.number)
        .first()
    )
    if ticket is None:
        return
    made = events.build(kinds, change, ticket, history)
    with transaction.atomic():
        rows = Delivery.objects.bulk_create(
            Delivery(
                webhook=hook,
                event_id=event.event_id,
                kind=event.kind,
                ticket_number=ticket.number,
                body=event.body,
            )
            for event in made
            for hook in hooks
            if hook.wants(event.kind)
        )
    for row in rows:
        outbox.enqueue_on_commit(row.pk)
