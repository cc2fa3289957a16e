"""Which webhook events a change of a ticket makes, and the JSON each carries.

A domain signal (tickets/signals.py) says what an action did; its events'
codes say which fields changed. One change may make several webhook events:
an answer that closes the ticket (auto-close 0) is ``ticket.answered``,
``ticket.status_changed`` and ``ticket.closed``. docs/webhooks.md describes
them for the people who write receivers.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.urls import reverse

from frontdesk.public_url import absolute
from tickets.models import Event, EventCode, Status, Ticket
from tickets.signals import TicketChange
from webhooks.models import EventKind

#: The history code of the message a change added, for the events about it.
MESSAGE_CODES = {
    "opened": EventCode.CREATED,
    "customer_replied": EventCode.CUSTOMER_MESSAGE,
    "answered": EventCode.ANSWER,
}
#: Codes whose events the payloads describe (old and new values).
DESCRIBED_CODES: frozenset[str] = frozenset(
    {EventCode.STATUS, EventCode.ASSIGNEE, EventCode.QUEUE, *MESSAGE_CODES.values()}
)


@dataclass(frozen=True)
class WebhookEvent:
    kind: str
    event_id: uuid.UUID
    body: str


def kinds_of(change: TicketChange, history: dict[str, Event]) -> list[str]:
    """The webhook events of one change, in the order they are delivered.

    ``history`` is the change's events by code (the last of each code)."""
    if change.kind == "opened":
        return [EventKind.CREATED]
    if change.kind == "deleted":
        return []
    kinds: list[str] = []
    if change.kind == "customer_replied":
        kinds.append(EventKind.CUSTOMER_REPLIED)
    if change.kind == "answered":
        kinds.append(EventKind.ANSWERED)
    if EventCode.ASSIGNEE in change.codes:
        kinds.append(EventKind.ASSIGNED)
    if EventCode.QUEUE in change.codes:
        kinds.append(EventKind.MOVED)
    if EventCode.STATUS in change.codes:
        kinds.append(EventKind.STATUS_CHANGED)
    status = history.get(EventCode.STATUS)
    if change.kind == "closed" or (status is not None and status.new == Status.CLOSED):
        kinds.append(EventKind.CLOSED)
    return kinds


def described_history(change: TicketChange) -> dict[str, Event]:
    """The change's events that payloads describe, by code (one query, or none)."""
    if not DESCRIBED_CODES & change.codes:
        return {}
    found = Event.objects.filter(pk__in=change.event_ids).order_by("id")
    return {event.code: event for event in found}


def _person(user: Any) -> dict[str, Any] | None:
    if user is None:
        return None
    return {"id": user.pk, "name": user.full_name, "email": user.email}


def ticket_data(ticket: Ticket) -> dict[str, Any]:
    account = ticket.account
    return {
        "number": ticket.number,
        "title": ticket.title,
        "status": ticket.status,
        "priority": ticket.priority,
        "type": ticket.type,
        "queue": {"id": ticket.queue_id, "name": ticket.queue.name},
        "assignee": _person(ticket.assignee),
        "account": (
            None
            if account is None
            else {"id": account.pk, "name": account.name, "external_id": account.external_id}
        ),
        "requester_email": ticket.requester_email,
        "is_answered": ticket.is_answered,
        "version": ticket.version,
        "created_at": _time(ticket.created_at),
        "modified_at": _time(ticket.modified_at),
        "url": absolute(reverse("panel:ticket", args=[ticket.number])),
    }


def _time(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _described(kind: str, change: TicketChange, history: dict[str, Event]) -> Event | None:
    """The history event a webhook event is about."""
    code = {
        EventKind.CREATED: EventCode.CREATED,
        EventKind.CUSTOMER_REPLIED: EventCode.CUSTOMER_MESSAGE,
        EventKind.ANSWERED: EventCode.ANSWER,
        EventKind.ASSIGNED: EventCode.ASSIGNEE,
        EventKind.MOVED: EventCode.QUEUE,
        EventKind.STATUS_CHANGED: EventCode.STATUS,
        EventKind.CLOSED: EventCode.STATUS,
    }[EventKind(kind)]
    return history.get(code)


def _change_of(kind: str, event: Event | None) -> dict[str, Any] | None:
    if event is None:
        return None
    if kind in (EventKind.STATUS_CHANGED, EventKind.CLOSED):
        return {"from": event.old or None, "to": event.new or None}
    if kind in (EventKind.ASSIGNED, EventKind.MOVED):
        return {
            "from": None if event.old_ref is None else {"id": event.old_ref, "name": event.old},
            "to": None if event.new_ref is None else {"id": event.new_ref, "name": event.new},
        }
    return None


def build(
    kinds: Iterable[str], change: TicketChange, ticket: Ticket, history: dict[str, Event]
) -> list[WebhookEvent]:
    """The body of each event, as it is signed and sent."""
    described_ticket = ticket_data(ticket)
    actor: dict[str, Any] = (
        {"type": "person", "id": change.actor_id}
        if change.actor_id is not None
        else {"type": "system", "code": change.system}
        if change.system
        else {"type": "unknown"}
    )
    made = []
    for kind in kinds:
        event_id = uuid.uuid4()
        event = _described(kind, change, history)
        payload = {
            "id": str(event_id),
            "type": str(kind),
            "created_at": _time(event.created_at if event else ticket.modified_at),
            "history_event_id": event.pk if event else None,
            "history_event_ids": list(change.event_ids),
            "actor": actor,
            "ticket": described_ticket,
            "change": _change_of(kind, event),
        }
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        made.append(WebhookEvent(kind=str(kind), event_id=event_id, body=body))
    return made
