"""Drafts of the ticket page's answer form: autosaved, discarded (see panel/drafts.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panel import drafts
from panel.auth import StaffRequest, staff_required
from panel.forms import DraftForm
from panel.models import DRAFT_MAX_CHARS
from tickets.visibility import can_see, get_ticket_for

DRAFT_STATUS = "panel/ticket.html#draft-status"


@require_POST
@staff_required
def save(request: StaffRequest, number: int) -> HttpResponse:
    """Autosave (htmx): only the small status text beside the form changes."""
    ticket = get_ticket_for(request.user, number)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return render(request, DRAFT_STATUS, {"draft_limit": DRAFT_MAX_CHARS}, status=422)
    data = form.cleaned_data
    context: dict[str, object]
    version = request.POST.get("expected_version", "")
    if drafts.sent_already(request.user, ticket, version, answer=data["answer"], note=data["note"]):
        # Issued before the form was sent (on leaving the field for Submit) and
        # arriving after: the text went out, and must not come back as a draft.
        context = {"draft_sent": True}
    elif drafts.nothing_typed(ticket, **data):
        context = {"draft_deleted": drafts.discard(user=request.user, ticket=ticket)}
    else:
        context = {"draft": drafts.keep(user=request.user, ticket=ticket, **data)}
    return render(request, DRAFT_STATUS, context)


@require_POST
@staff_required
def discard(request: StaffRequest, number: int) -> HttpResponse:
    """Only the person's own draft goes, so it needs no sight of the ticket.

    That lets the home page discard drafts on tickets that left the person's view.
    """
    if drafts.discard(user=request.user, ticket=number):
        messages.success(request, _("Draft of ticket #%(number)s discarded.") % {"number": number})
    if can_see(request.user, number):
        return redirect("panel:ticket", number=number)
    return redirect("panel:home")
