"""Mass Assign, Move, Close and Delete on the tickets checked in a list (S17, S22).

Each ticket goes through tickets/actions on its own, so one refusal does not
undo the others; the person is told which tickets failed and why.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from accounts.queries import assignable_staff
from panel.auth import StaffRequest, staff_required, supervisor_required
from tickets import actions, queries
from tickets.models import Ticket

MAX_SELECTED = 500
M = TypeVar("M", bound=Model)


def selected_numbers(request: StaffRequest) -> list[int]:
    values = request.POST.getlist("ticket")[:MAX_SELECTED]
    numbers = (int(value) for value in values if value.isdigit() and len(value) <= 18)
    return list(dict.fromkeys(numbers))


def safe_next(request: StaffRequest) -> str:
    """Where the list was; only a path on this site, never a page elsewhere."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("panel:home")


def chosen(request: StaffRequest, name: str, choices: QuerySet[M]) -> M | None:
    """The row the person chose in the select ``name``, if it is one of ``choices``."""
    value = request.POST.get(name, "")
    return choices.filter(pk=int(value)).first() if value.isdigit() and len(value) <= 18 else None


def back(request: StaffRequest) -> HttpResponse:
    return redirect(safe_next(request))


def _reason(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, Ticket.DoesNotExist):
        return _("no such ticket.")
    return str(error)


def apply_to_each(
    request: StaffRequest, verb: str, action: Callable[[int], object]
) -> HttpResponse:
    numbers = selected_numbers(request)
    if not numbers:
        messages.error(request, _("Select at least one ticket first."))
        return back(request)
    visible = queries.visible_numbers(request.user, numbers)
    done, failed = [], []
    for number in numbers:
        if number not in visible:
            failed.append(f"#{number}: {_('no such ticket.')}")
            continue
        try:
            action(number)
        except (PermissionDenied, ValidationError, Ticket.DoesNotExist) as error:
            failed.append(f"#{number}: {_reason(error)}")
        else:
            done.append(f"#{number}")
    if done:
        summary = {
            "what": verb,
            "done": len(done),
            "total": len(numbers),
            "numbers": ", ".join(done),
        }
        messages.success(request, _("%(what)s: %(done)s of %(total)s (%(numbers)s).") % summary)
    for failure in failed:
        messages.error(request, failure)
    return back(request)


@require_POST
@supervisor_required
def assign(request: StaffRequest) -> HttpResponse:
    assignee = chosen(request, "assignee", assignable_staff())
    if assignee is None:
        messages.error(request, _("Choose whom to assign the tickets to."))
        return back(request)
    return apply_to_each(
        request,
        _("Assigned to %(name)s") % {"name": assignee.get_full_name()},
        lambda number: actions.assign(actor=request.user, ticket=number, assignee=assignee),
    )


@require_POST
@supervisor_required
def move(request: StaffRequest) -> HttpResponse:
    queue = chosen(request, "queue", queries.queues_for_mass_move(request.user))
    if queue is None:
        messages.error(request, _("Choose the queue to move the tickets to."))
        return back(request)
    return apply_to_each(
        request,
        _("Moved to %(queue)s") % {"queue": queue.name},
        lambda number: actions.move(actor=request.user, ticket=number, queue=queue),
    )


@require_POST
@staff_required
def close(request: StaffRequest) -> HttpResponse:
    return apply_to_each(
        request,
        pgettext("tickets of a mass action", "Closed"),
        lambda number: actions.close(actor=request.user, ticket=number),
    )


@require_POST
@supervisor_required
def confirm_delete(request: StaffRequest) -> HttpResponse:
    numbers = selected_numbers(request)
    if not numbers:
        messages.error(request, _("Select at least one ticket first."))
        return back(request)
    tickets = queries.visible_by_numbers(request.user, numbers)
    context = {"tickets": tickets, "next": safe_next(request)}
    return render(request, "panel/mass_delete.html", context)


@require_POST
@supervisor_required
def delete(request: StaffRequest) -> HttpResponse:
    return apply_to_each(
        request,
        pgettext("tickets of a mass action", "Deleted permanently"),
        lambda number: actions.delete_permanently(actor=request.user, ticket=number),
    )
