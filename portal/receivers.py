"""What the portal hears: sign-ins (which end a link's ticket scope) and requester changes."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from portal import links
from portal.auth import TICKET_SCOPE
from tickets import signals
from tickets.signals import TicketChange


@receiver(user_logged_in, dispatch_uid="portal.end_ticket_scope")
def end_ticket_scope(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    # Django keeps the session's data when the same person signs in again; a password
    # sign-in after a link's must see all of their tickets. The link's own view sets
    # the scope after signing in.
    if request is not None and hasattr(request, "session"):
        request.session.pop(TICKET_SCOPE, None)


@receiver(signals.properties_changed, dispatch_uid="portal.revoke_links_of_old_requester")
def revoke_links_of_old_requester(sender: Any, change: TicketChange, **kwargs: Any) -> None:
    # Links sign in the address they were mailed to, which is no longer the requester's.
    if "requester_email" in change.codes:
        links.revoke_for_ticket(change.number)
