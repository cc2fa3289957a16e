"""Words for history events: the codes are stable, these labels may change."""

from __future__ import annotations

from tickets.models import Event, Status

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
}


def actor_name(event: Event) -> str:
    if event.actor is None:
        return "The system"
    return event.actor.get_full_name()


def describe(event: Event) -> str:
    """One sentence, e.g. "Ann Lee changed the priority: 50 → 70"."""
    label = LABELS.get(event.code, event.code)
    sentence = f"{actor_name(event)} {label}"
    old, new = event.old, event.new
    if event.code == "status":
        # Status events keep the stable value; the label may be reworded.
        old, new = _status_label(old), _status_label(new)
    if old or new:
        sentence += f": {old or '—'} → {new or '—'}"
    return sentence


def _status_label(value: str) -> str:
    return Status(value).label if value in Status.values else value
