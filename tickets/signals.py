"""Signals sent by tickets/actions.py inside the action's transaction.

Receivers run in the same transaction, so a receiver that writes a row (an
outbox mail, an index entry) commits or rolls back together with the change.
Receivers must not do slow work; they queue it (outbox, on_commit).
"""

from django.dispatch import Signal

#: ticket, message, send_confirmation (False for staff tickets with "send no confirmation")
ticket_opened = Signal()
#: ticket, message (a customer follow-up, an answer or a note)
message_added = Signal()
#: ticket, old, new (status values)
status_changed = Signal()
