"""Ticket lists: mine, unassigned, received in a period, quick search (S15–S17)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.queries import assignable_staff
from panel import lists
from panel.auth import StaffRequest, is_supervising, staff_required, supervisor_required
from tickets import queries
from tickets.visibility import can_see


def render_list(request: StaffRequest, ticket_list: lists.TicketList, **extra: Any) -> HttpResponse:
    context = {
        "table": lists.build_table(request, ticket_list, request.user),
        "assignees": list(assignable_staff()) if is_supervising(request.user) else [],
        "move_queues": list(queries.queues_for_mass_move(request.user))
        if is_supervising(request.user)
        else [],
        **extra,
    }
    # Sorting and paging swap the table alone; the same table on the home page too.
    template = "panel/ticket_list.html#ticket-table" if request.htmx else "panel/ticket_list.html"
    return render(request, template, context)


@require_GET
@staff_required
def mine(request: StaffRequest) -> HttpResponse:
    return render_list(request, lists.mine_list(request.user))


@require_GET
@supervisor_required
def unassigned(request: StaffRequest) -> HttpResponse:
    return render_list(request, lists.unassigned_list(request.user))


@require_GET
@staff_required
def received(request: StaffRequest, period: str) -> HttpResponse:
    if period not in lists.PERIODS:
        raise Http404("No such period.")
    return render_list(request, lists.received_list(request.user, period))


@require_GET
@staff_required
def search(request: StaffRequest) -> HttpResponse:
    """S16: a number opens the ticket, an e-mail lists the requester's, words match titles."""
    typed = request.GET.get("q", "")
    query = queries.search_text(typed)
    if not query:
        if typed.strip():
            messages.info(request, _("Nothing to search for: control characters are never found."))
        return render(request, "panel/search.html", {"query": ""})
    number = queries.ticket_number(query)
    if number is not None:
        if can_see(request.user, number):
            return redirect("panel:ticket", number=number)
        messages.info(
            request, _("There is no ticket #%(number)s that you may see.") % {"number": number}
        )
    return render_list(request, lists.search_list(request.user, query), query=query)
