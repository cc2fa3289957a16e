"""Starting "view as customer" (S34) from a ticket page or an account page.

portal/view_as.py holds the session, the checks and the audit; the banner in
the portal ends it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import Contact
from accounts.queries import contacts_of
from panel import drafts
from panel.auth import StaffRequest, staff_required
from portal import view_as
from tickets.visibility import get_ticket_for


def _start(request: StaffRequest, contact: Contact, ticket: int | None) -> HttpResponse:
    try:
        view_as.start(request, staff=request.user, contact=contact, ticket=ticket)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        if ticket is not None:
            return redirect("panel:ticket", number=ticket)
        return redirect("panel:customer", pk=contact.account_id)
    return redirect(view_as.portal_page_of(ticket))


@require_POST
@staff_required
def from_ticket(request: StaffRequest, number: int) -> HttpResponse:
    """The ticket page's button, which belongs to its answer form: the text typed
    there is kept as the draft first, as the page is left."""
    ticket = get_ticket_for(request.user, number)
    drafts.keep_posted_text(request.user, ticket, request.POST)
    if ticket.account is None:
        raise Http404("This ticket belongs to no account.")
    chosen = request.POST.get("view_as_contact", "")
    contact = contacts_of(ticket.account).filter(pk=chosen).first() if chosen.isdigit() else None
    if contact is None:
        messages.error(request, _("Choose a contact of the account to view the portal as."))
        return redirect("panel:ticket", number=number)
    return _start(request, contact, ticket.number)


@require_POST
@staff_required
def from_contact(request: StaffRequest, pk: int) -> HttpResponse:
    contact = get_object_or_404(Contact.objects.select_related("account", "user"), pk=pk)
    return _start(request, contact, None)
