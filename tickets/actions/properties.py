"""Properties staff change: status, priority, sticky, title, requester e-mail, account."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError

from accounts.actors import Actor
from accounts.models import Account
from tickets import signals
from tickets.actions.core import (
    EachOutcome,
    check_email,
    check_priority,
    check_title,
    edit_each,
    editing,
    require_staff,
)
from tickets.models import Status, Ticket


def change(
    *,
    actor: Actor,
    ticket: Ticket | int,
    expected_version: int | None = None,
    status: str | None = None,
    priority: int | None = None,
    is_sticky: bool | None = None,
) -> Ticket:
    """Change status, priority or sticky; None leaves a property as it is."""
    require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.properties_changed
    ) as edit:
        if status is not None:
            if status not in Status.values:
                raise ValidationError({"status": f"{status!r} is not a status."})
            edit.set_status(status)
        if priority is not None:
            check_priority(priority)
            edit.set("priority", priority)
        if is_sticky is not None:
            edit.set("is_sticky", is_sticky, code="sticky")
    return edit.ticket


def change_priority_each(
    *, actor: Actor, selection: Sequence[tuple[int, int | None]], priority: int
) -> EachOutcome:
    """``change(priority=...)`` for many tickets in one transaction (a mass action's batch)."""
    require_staff(actor)
    check_priority(priority)
    return edit_each(
        selection,
        actor=actor,
        signal=signals.properties_changed,
        change=lambda edit: edit.set("priority", priority),
    )


def change_details(
    *,
    actor: Actor,
    ticket: Ticket | int,
    expected_version: int | None = None,
    title: str | None = None,
    requester_email: str | None = None,
) -> Ticket:
    """The "Additional" form: title and requester e-mail (S20)."""
    require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.properties_changed
    ) as edit:
        if title is not None:
            edit.set("title", check_title(title))
        if requester_email is not None:
            edit.set("requester_email", check_email("requester_email", requester_email))
    return edit.ticket


def change_account(
    *,
    actor: Actor,
    ticket: Ticket | int,
    account: Account | None,
    expected_version: int | None = None,
) -> Ticket:
    require_staff(actor)
    with editing(
        ticket, actor=actor, expected_version=expected_version, signal=signals.account_changed
    ) as edit:
        edit.set("account", account)
    return edit.ticket
