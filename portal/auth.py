"""Who may use the portal: signed-in customers (staff have the panel)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from accounts.models import User
from tickets.models import Ticket

P = ParamSpec("P")


class CustomerRequest(HttpRequest):
    """A request that passed ``customer_required``: an active customer."""

    user: User


CustomerView = Callable[Concatenate[CustomerRequest, P], HttpResponse]
PlainView = Callable[Concatenate[HttpRequest, P], HttpResponse]


def customer_required(view: CustomerView[P]) -> PlainView[P]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return redirect_to_login(request.get_full_path())
        if user.staff is not None:
            # Staff work in the panel; the portal as a customer sees it is "view as".
            return redirect("panel:home")
        try:
            return view(cast(CustomerRequest, request), *args, **kwargs)
        except Ticket.DoesNotExist:
            # Another account's ticket and no ticket look the same.
            raise Http404("No such ticket.") from None

    return wrapper
