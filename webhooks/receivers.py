"""Deliveries written when a ticket changes: receivers of the domain signals.

The signals are sent after the change committed (tickets/signals.py), so the
deliveries describe a change that happened; each is handed to the worker once
written. A process that dies between the commit and this receiver loses the
webhook events of that change, as it loses the search index's update; the
mail outbox, which must not lose a customer's mail, uses tickets/hooks.py.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from tickets import signals
from tickets.models import Ticket
from webhooks import events, outbox
from webhooks.models import Delivery, Webhook


def connect() -> None:
    for signal in signals.ALL:
        signal.connect(ticket_changed, weak=False, dispatch_uid=f"webhooks.{signal.kind}")


def ticket_changed(sender: Any, change: signals.TicketChange, **kwargs: Any) -> None:
    hooks = [hook for hook in Webhook.objects.filter(is_active=True) if hook.event_kinds]
    if not hooks or change.kind == "deleted":
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
