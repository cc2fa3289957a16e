"""Who may enter the panel: signed-in, active support staff, by role."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Concatenate, ParamSpec, cast

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django_htmx.http import HttpResponseClientRedirect
from django_htmx.middleware import HtmxDetails

from accounts.models import StaffProfile, User
from tickets.models import Ticket

P = ParamSpec("P")


class StaffRequest(HttpRequest):
    """A request that passed ``staff_required``: the user is active staff."""

    user: User
    htmx: HtmxDetails


StaffView = Callable[Concatenate[StaffRequest, P], HttpResponse]
PlainView = Callable[Concatenate[HttpRequest, P], HttpResponse]


def _guard(allowed: Callable[[StaffProfile], bool], refusal: str) -> Callable:
    def decorator(view: StaffView[P]) -> PlainView[P]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: P.args, **kwargs: P.kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                if getattr(request, "htmx", False):
                    # A swapped-in sign-in form would land inside the page.
                    return HttpResponseClientRedirect(redirect_to_login("/panel/").url)
                return redirect_to_login(request.get_full_path())
            if not user.is_active or user.staff is None or not allowed(user.staff):
                raise PermissionDenied(refusal)
            try:
                return view(cast(StaffRequest, request), *args, **kwargs)
            except Ticket.DoesNotExist:
                # Not visible and not there look the same: nothing leaks.
                raise Http404("No such ticket.") from None

        return wrapper

    return decorator


staff_required = _guard(lambda staff: True, "The agent panel is for support staff.")
supervisor_required = _guard(
    lambda staff: staff.is_supervising, "Only supervisors and administrators may do this."
)
admin_required = _guard(lambda staff: staff.is_admin, "Only administrators may do this.")


def is_supervising(user: User) -> bool:
    return user.staff is not None and user.staff.is_supervising


def is_admin(user: User) -> bool:
    return user.staff is not None and user.staff.is_admin


def may_retry_mail(user: User, ticket: Ticket) -> bool:
    """Sending a ticket's failed mail again: supervisors, administrators and its assignee."""
    return is_supervising(user) or ticket.assignee_id == user.pk
