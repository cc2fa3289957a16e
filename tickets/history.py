"""Words for history events: the codes are stable, these labels may change.

Events that name a person, queue or account keep the row's id besides the
words of the time (``old_ref``/``new_ref``); the history shows the row's
current name, and the words of the time when the row is gone. Each label is a
whole sentence with the actor in it, so a translation may put the words in its
own order; the stored values (``old``, ``new``) are data and stay as they were.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from django.apps import apps
from django.utils.translation import gettext, gettext_lazy

from accounts.actors import label_of
from tickets.models import REFERENCING_CODES, Event, Status

LABELS = {
    "created": gettext_lazy("%(actor)s opened the ticket"),
    "customer_message": gettext_lazy("%(actor)s added a customer message"),
    "answer": gettext_lazy("%(actor)s answered"),
    "note": gettext_lazy("%(actor)s added an internal note"),
    "status": gettext_lazy("%(actor)s changed the status"),
    "priority": gettext_lazy("%(actor)s changed the priority"),
    "assignee": gettext_lazy("%(actor)s changed the assignee"),
    "sticky": gettext_lazy("%(actor)s changed sticky"),
    "title": gettext_lazy("%(actor)s changed the title"),
    "requester_email": gettext_lazy("%(actor)s changed the requester e-mail"),
    "account": gettext_lazy("%(actor)s changed the account"),
    "cc": gettext_lazy("%(actor)s changed the CC addresses"),
    "queue": gettext_lazy("%(actor)s moved the ticket to another queue"),
    "escalation": gettext_lazy("%(actor)s escalated the priority"),
    "bounce": gettext_lazy("%(actor)s received a bounce of a mail"),
    "auto_reply": gettext_lazy("%(actor)s received an automatic reply"),
    "staff_mail": gettext_lazy("%(actor)s received a mail from staff"),
    "auto_mail_capped": gettext_lazy(
        "%(actor)s held back an automatic mail (too many to this address)"
    ),
    "mail_from_ticket": gettext_lazy(
        "%(actor)s opened this ticket for a reply to another ticket from a sender not on it"
    ),
    "mail_to_new_ticket": gettext_lazy(
        "%(actor)s put a reply from a sender not on this ticket into a new ticket"
    ),
    "cc_left_out": gettext_lazy("%(actor)s left out CC addresses of the mail"),
    "viewed_as_customer": gettext_lazy("%(actor)s viewed the ticket in the portal as the customer"),
    "customer_closed": gettext_lazy("%(actor)s closed the ticket on the customer's side too"),
    "decrypted": gettext_lazy("%(actor)s was shown encrypted information"),
    "merged_into": gettext_lazy("%(actor)s merged this ticket into another"),
    "merged_from": gettext_lazy("%(actor)s merged another ticket into this one"),
    "split_off": gettext_lazy("%(actor)s split a message off into a new ticket"),
    "split_from": gettext_lazy("%(actor)s opened this ticket from a message of another"),
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
        "decrypted",
        "merged_into",
        "merged_from",
        "split_off",
        "split_from",
    }
)

#: model label -> {id: current name}
Names = dict[str, dict[int, str]]


def actor_name(event: Event) -> str:
    if event.system:
        return label_of(event.system)
    if event.actor is None:
        return gettext("A deleted user")
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
        return gettext("%(actor)s acted in the portal as the customer %(customer)s: %(action)s") % {
            "actor": actor_name(event),
            "customer": event.old,
            "action": event.new,
        }
    label = LABELS.get(event.code)
    if label is None:
        sentence = f"{actor_name(event)} {event.code}"
    else:
        sentence = label % {"actor": actor_name(event)}
    old, new = event.old, event.new
    if event.code == "status":
        # Status events keep the stable value; the label may be reworded.
        old, new = _status_label(old), _status_label(new)
    elif names is not None and event.code in REFERENCING_CODES:
        current = names.get(REFERENCING_CODES[event.code], {})
        old = current.get(event.old_ref, old) if event.old_ref is not None else old
        new = current.get(event.new_ref, new) if event.new_ref is not None else new
    if event.code in ONE_VALUE_CODES and new and not old:
        sentence = gettext("%(sentence)s: %(value)s") % {"sentence": sentence, "value": new}
    elif old or new:
        sentence = gettext("%(sentence)s: %(old)s → %(new)s") % {
            "sentence": sentence,
            "old": old or "—",
            "new": new or "—",
        }
    return sentence


def describe_all(events: Sequence[Event]) -> list[str]:
    """Each event in words, with current names (load ``actor`` with the events)."""
    names = current_names(events)
    return [describe(event, names) for event in events]


def _status_label(value: str) -> str:
    return str(Status(value).label) if value in Status.values else value
