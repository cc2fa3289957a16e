"""Applying a macro to a ticket: its reply and changes, through tickets/actions, all or nothing.

A macro is one transaction: each step is an action on the version the step before
it left (the first on the version the person saw), so a ticket changed by
somebody else meanwhile raises ``Conflict`` and nothing of the macro stays; a step
the person may not take (an agent moving a ticket) raises ``PermissionDenied``
and undoes the steps before it too. Each step records its own events as the
person applying the macro, as if they had done it by hand.

The steps, in this order: the reply (an answer, which may close the ticket when
auto-close is 0), the status and priority, the queue, and the assignee last, as
it may take the ticket out of the person's view. A step that would change
nothing is skipped, so an agent may apply a shared macro that assigns to
"the person applying it" on their own ticket.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from canned.models import Assignment, Macro
from canned.placeholders import fill
from tickets import actions, stored_files
from tickets.models import Status, Ticket


def apply_macro(*, actor: User, ticket: Ticket, macro: Macro, expected_version: int) -> Ticket:
    """Apply ``macro`` to ``ticket`` (read through the person's visibility) as ``actor``.

    Returns the ticket as the macro left it; raises ``Conflict``,
    ``PermissionDenied`` or ``ValidationError`` with nothing changed.
    """
    number, version, current = ticket.number, expected_version, ticket
    with stored_files.atomic():
        if macro.reply.strip():
            filled = fill(macro.reply, ticket=ticket, agent=actor)
            if filled.unknown:
                raise ValidationError(
                    _("Its reply names placeholders that do not exist: %(names)s.")
                    % {"names": ", ".join(filled.unknown)}
                )
            message = actions.answer(
                actor=actor, ticket=number, text=filled.text, expected_version=version
            )
            current = message.ticket
            version = current.version
        if macro.status == Status.CLOSED and current.status != Status.CLOSED:
            # Closing has its own action (the customer is told, closed_at is set).
            current = actions.close(actor=actor, ticket=number, expected_version=version)
            version = current.version
        status = macro.status if macro.status not in ("", Status.CLOSED) else None
        priority = macro.priority
        if (status is not None and status != current.status) or (
            priority is not None and priority != current.priority
        ):
            current = actions.change(
                actor=actor,
                ticket=number,
                expected_version=version,
                status=status,
                priority=priority,
            )
            version = current.version
        if macro.queue_id is not None and macro.queue_id != current.queue_id:
            assert macro.queue is not None
            current = actions.move(
                actor=actor, ticket=number, queue=macro.queue, expected_version=version
            )
            version = current.version
        current = _assign(actor, current, macro, version)
    return current


def _assign(actor: User, ticket: Ticket, macro: Macro, version: int) -> Ticket:
    if macro.assignment == Assignment.NOBODY:
        if ticket.assignee_id is None:
            return ticket
        return actions.release(actor=actor, ticket=ticket.number, expected_version=version)
    if macro.assignment == Assignment.ME:
        assignee: User | None = actor
    elif macro.assignment == Assignment.PERSON:
        assignee = macro.assignee
        if assignee is None:
            raise PermissionDenied(_("The staff member it assigns to is no longer on staff."))
    else:
        return ticket
    if assignee is None or ticket.assignee_id == assignee.pk:
        return ticket
    return actions.assign(
        actor=actor, ticket=ticket.number, assignee=assignee, expected_version=version
    )
