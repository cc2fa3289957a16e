"""Who may use the portal: signed-in customers (staff have the panel)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.models import User
from portal import view_as
from tickets.models import Ticket

P = ParamSpec("P")


class CustomerRequest(HttpRequest):
    """A request that passed ``customer_required``: an active customer."""

    user: User


CustomerView = Callable[Concatenate[CustomerRequest, P], HttpResponse]
PlainView = Callable[Concatenate[HttpRequest, P], HttpResponse]

#: For POST views, below ``customer_required``: what the view does, on the page where
#: staff viewing as a customer confirm it (``@writes("Send a reply on ticket #{number}")``),
#: and what they may never do as the customer (``@never_as_customer``).
writes = view_as.writes
never_as_customer = view_as.never_as_customer


def customer_required(view: CustomerView[P]) -> PlainView[P]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return redirect_to_login(request.get_full_path())
        viewing = None
        if user.staff is not None:
            # Staff work in the panel; here only while viewing as a customer (S34):
            # the view gets the contact's user as its customer (portal/view_as.py).
            viewing = view_as.viewing(request)
            if viewing is None:
                return redirect("panel:home")
            request.user = viewing.customer
            request.view_as = viewing  # type: ignore[attr-defined]
        scope = ticket_scope(request)
        if scope is not None and kwargs.get("number") != scope:
            # Signed in by a link in a mail: that ticket only (see ticket_scope).
            return render(request, "portal/ticket_only.html", {"scope": scope}, status=403)
        try:
            if viewing is not None and request.method not in ("GET", "HEAD", "OPTIONS"):
                # Nothing is sent or changed as the customer unless the staff member confirms.
                return view_as.guarded_write(request, viewing, view, args, kwargs)
            return view(cast(CustomerRequest, request), *args, **kwargs)
        except Ticket.DoesNotExist:
            # Another account's ticket and no ticket look the same.
            raise Http404("No such ticket.") from None

    return wrapper


#: The session key of a sign-in by a one-time link (portal/links.py): the ticket it opened.
TICKET_SCOPE = "portal_ticket_scope"


def ticket_scope(request: HttpRequest) -> int | None:
    """The one ticket this session may see, when a link in a mail signed it in; None
    when the person signed in with a password and sees all of their tickets.

    ``customer_required`` lets such a session into views of that ticket alone (those
    whose ``number`` argument is that ticket's) and answers every other portal page
    with "sign in with a password to see all your tickets". A view of a part of a
    ticket that has no ``number`` in its URL (an attachment by its id) checks
    ``may_open(request, ticket_number)`` itself.
    """
    scope = request.session.get(TICKET_SCOPE) if hasattr(request, "session") else None
    return scope if isinstance(scope, int) else None


def may_open(request: HttpRequest, number: int) -> bool:
    """May this session open ticket ``number`` (visibility aside)?"""
    scope = ticket_scope(request)
    return scope is None or scope == number


def limit_to_ticket(request: HttpRequest, number: int) -> None:
    """After signing in by a link: the session sees ticket ``number`` only. Signing
    in with a password ends the limit (portal/receivers.py)."""
    request.session[TICKET_SCOPE] = number
