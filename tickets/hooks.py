"""Hooks called inside an action's transaction, for rows that must commit with it.

The mail outbox listens here: an answer's outgoing mail is written in the same
transaction as the answer, so neither exists without the other, even if the
process dies right after the commit. Receivers must be quick and must not talk
to the outside world; everything else listens to the domain signals of
tickets/signals.py, which are sent once the change has committed.
"""

from django.dispatch import Signal

#: ticket, message, send_confirmation (False for staff tickets with "send no confirmation")
ticket_opened = Signal()
#: ticket, message (a customer follow-up, an answer, a note or a system note)
message_added = Signal()
#: ticket, old, new (status values), actor (who changed it), tell_customer (False: no
#: mail to the customer about it), notice_delay (a timedelta: the closing notice waits
#: that long, while the close may be undone; None: it goes at once)
status_changed = Signal()
#: ticket, closing (the Event of the close that was taken back: a notice of it that
#: has not begun to go out is withdrawn)
close_undone = Signal()
