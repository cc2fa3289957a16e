"""The only code that changes tickets (DESIGN rule 1), one module per area.

Every action is keyword-only, runs in one transaction on a ticket row locked
through the actor's visibility, checks that the actor may do it, records an
Event for each change under a new version, and sends a domain signal once the
change commits (tickets/signals.py). The actor is a person (``User``) or a
named part of the system (``accounts.actors.System``). A caller that showed the
ticket to a person passes the version it showed as ``expected_version``; if
somebody changed the ticket meanwhile, ``Conflict`` names what changed.
``core.editing`` is the skeleton they share; ``core.edit_each`` its form for
many tickets in one transaction (``close_each`` and the others a mass action's
batch uses).
"""

from tickets.actions.assignment import assign, assign_each, pick_up, release
from tickets.actions.closing import close, close_each, reopen, undo_close, undo_close_each
from tickets.actions.core import AlreadyAssigned, Conflict, EachOutcome
from tickets.actions.deletion import delete_each, delete_permanently
from tickets.actions.merging import merge, split_off
from tickets.actions.opening import open_ticket
from tickets.actions.properties import (
    change,
    change_account,
    change_details,
    change_priority_each,
)
from tickets.actions.queues import move, move_each
from tickets.actions.replies import add_note, answer, customer_reply
from tickets.actions.system import (
    add_system_note,
    escalate,
    escalate_before_breach,
    record_decryption,
    record_system_event,
    record_view_as,
)

__all__ = [
    "AlreadyAssigned",
    "Conflict",
    "EachOutcome",
    "add_note",
    "add_system_note",
    "answer",
    "assign",
    "assign_each",
    "change",
    "change_account",
    "change_details",
    "change_priority_each",
    "close",
    "close_each",
    "customer_reply",
    "delete_each",
    "delete_permanently",
    "escalate",
    "escalate_before_breach",
    "merge",
    "move",
    "move_each",
    "open_ticket",
    "pick_up",
    "record_decryption",
    "record_system_event",
    "record_view_as",
    "release",
    "reopen",
    "split_off",
    "undo_close",
    "undo_close_each",
]
