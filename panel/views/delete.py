"""Permanent delete of one ticket after confirmation (S23)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from panel.auth import StaffRequest, supervisor_required
from panel.forms import VersionedForm
from tickets import actions
from tickets.visibility import get_ticket_for


@supervisor_required
def delete_ticket(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    if request.method != "POST":
        return render(request, "panel/delete.html", {"ticket": ticket})
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return render(request, "panel/delete.html", {"ticket": ticket}, status=422)
    try:
        actions.delete_permanently(
            actor=request.user,
            ticket=number,
            expected_version=form.cleaned_data["expected_version"],
        )
    except actions.Conflict as conflict:
        ticket = get_ticket_for(request.user, number)
        return render(
            request, "panel/delete.html", {"ticket": ticket, "conflict": conflict}, status=409
        )
    messages.success(request, _("Ticket #%(number)s was deleted permanently.") % {"number": number})
    return redirect("panel:home")
