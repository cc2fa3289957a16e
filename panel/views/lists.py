"""Ticket lists: mine, unassigned, received in a period (S15–S17); searches are in search.py."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from panel import lists
from panel.auth import StaffRequest, is_supervising, staff_required, supervisor_required
from panel.forms import staff_choices
from tickets import queries


def render_list(request: StaffRequest, ticket_list: lists.TicketList, **extra: Any) -> HttpResponse:
    context = {
        "table": lists.build_table(request, ticket_list, request.user),
        "assignees": staff_choices() if is_supervising(request.user) else [],
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
