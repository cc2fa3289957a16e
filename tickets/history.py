"""Words for history events: the codes are stable, these labels may change.

Events that name a person, queue or account keep the row's id besides the
words of the time (``old_ref``/``new_ref``); the history shows the row's
current name, and the words of the time when the row is gone.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.apps import apps

from accounts.actors import label_of
from tickets.models import REFERENCING_CODES, Event, Status

LABELS = {
    "created": "opened the ticket",
    "customer_message": "added a customer message",
    "answer": "answered",
    "note": "added an internal note",
    "status": "changed the status",
    "priority": "changed the priority",
    "assignee": "changed the assignee",
    "sticky": "changed sticky",
    "title": "changed the title",
    "requester_email": "changed the requester e-mail",
    "account": "changed the account",
    "cc": "changed the CC addresses",
    "queue": "moved the ticket to another queue",
    "escalation": "escalated the priority",
    "bounce": "received a bounce of a mail",
    "auto_reply": "received an automatic reply",
    "staff_mail": "received a mail from staff",
    "auto_mail_capped": "held back an automatic mail (too many to this address)",
    "mail_from_ticket": "opened this ticket for a reply to another ticket from a sender not on it",
    "mail_to_new_ticket": "put a reply from a sender not on this ticket into a new ticket",
    "cc_left_out": "left out CC addresses of the mail",
    "viewed_as_customer": "viewed the ticket in the portal as the customer",
    "customer_closed": "closed the ticket on the customer's side too",
}

#: Codes that name one thing (the queue a ticket opened in, a mail's sender), not a change.
ONE_VALUE_CODES = frozenset(
    {
        "created",
        "bounce",
        "auto_reply",
        "staff_mail",
        "auto_mail_capped",
        "mail_from_ticket",
        "mail_to_new_ticket",
        "cc_left_out",
        "viewed_as_customer",
    }
)

#: model label -> {id: current name}
Names = dict[str, dict[int, str]]


def actor_name(event: Event) -> str:
    if event.system:
        return label_of(event.system)
    if event.actor is None:
        return "A deleted user"
    return event.actor.get_full_name()


def current_names(events: Iterable[Event]) -> Names:
    """The current names of every row the events refer to: one query per kind of row."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        label = REFERENCING_CODES.get(event.code)
        if label is None:
            continue
        wanted[label].update(ref for ref in (event.old_ref, event.new_ref) if ref is not None)
    names: Names = {}
    for label, ids in wanted.items():
        model = apps.get_model(label)
        names[label] = {row.pk: str(row) for row in model._default_manager.filter(pk__in=ids)}
    return names


def describe(event: Event, names: Names | None = None) -> str:
    """One sentence, e.g. "Ann Lee changed the priority: 50 → 70"."""
    if event.code == "viewed_as_customer" and event.old:
        # Staff viewing as a customer confirmed an action in the portal as them.
        return f"{actor_name(event)} acted in the portal as the customer {event.old}: {event.new}"
    label = LABELS.get(event.code, event.code)
    sentence = f"{actor_name(event)} {label}"
    old, new = event.old, event.new
    if event.code == "status":
        # Status events keep the stable value; the label may be reworded.
        old, new = _status_label(old), _status_label(new)
    elif names is not None and event.code in REFERENCING_CODES:
        current = names.get(REFERENCING_CODES[event.code], {})
        old = current.get(event.old_ref, old) if event.old_ref is not None else old
        new = current.get(event.new_ref, new) if event.new_ref is not None else new
    if event.code in ONE_VALUE_CODES and new and not old:
        sentence += f": {new}"
    elif old or new:
        sentence += f": {old or '—'} → {new or '—'}"
    return sentence


def describe_all(events: Sequence[Event]) -> list[str]:
    """Each event in words, with current names (load ``actor`` with the events)."""
    names = current_names(events)
    return [describe(event, names) for event in events]


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value
