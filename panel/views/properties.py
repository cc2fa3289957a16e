"""Changes from the ticket page's property panel and the lists (S17, S20).

Each answers an htmx request with the property panel alone, so an answer being
typed on the same page is never touched. Without htmx the answer being typed
comes with the change (see PropertyForm) and the whole page comes back with it;
with nothing typed they redirect. Either way the answer form that came with a
change is kept as the person's draft first (panel/drafts.py), for the changes
that take them away from the ticket page.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from accounts.queries import search_accounts
from frontdesk.text import without_controls
from panel import drafts, undo
from panel.auth import StaffRequest, staff_required
from panel.forms import PROPERTIES_VERSION, ChooseAccountForm, add_action_errors
from panel.views.ticket import after_change, change_form, details_form, render_properties
from tickets import actions
from tickets.visibility import get_ticket_for


def _version(request: StaffRequest) -> int:
    value = request.POST.get(PROPERTIES_VERSION, "")
    if not value.isdigit():
        # Without the version a stale page could overwrite what it never showed.
        raise SuspiciousOperation("The form did not say which version of the ticket it showed.")
    return int(value)


def _conflict(
    request: StaffRequest, number: int, conflict: actions.Conflict, **forms: object
) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    return render_properties(request, ticket, 409, panel_conflict=conflict, **forms)


@require_POST
@staff_required
def pick_up(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    # From the ticket page the answer form comes along: kept, as with every change there.
    drafts.keep_posted_text(request.user, ticket, request.POST)
    try:
        ticket = actions.pick_up(actor=request.user, ticket=ticket.number)
    except actions.AlreadyAssigned as taken:
        name = taken.assignee.get_full_name()
        notice, picked = _("Already picked up by %(name)s.") % {"name": name}, False
        ticket = taken.ticket
    else:
        notice, picked = _("Picked up: yours now."), True
    if request.htmx and request.htmx.target == "properties":
        return after_change(request, number, notice)
    if request.htmx:
        context = {"ticket": ticket, "pick_up_notice": notice}
        response = render(request, "panel/ticket_list.html#pick-up-cell", context)
        # The "my tickets" list on the same page reloads itself on this event.
        return trigger_client_event(response, "ticket-picked-up") if picked else response
    if picked:
        messages.success(request, notice)
        return redirect("panel:ticket", number=number)
    messages.error(request, notice)
    return redirect("panel:unassigned")


@require_POST
@staff_required
def release(request: StaffRequest, number: int) -> HttpResponse:
    drafts.keep_posted_text(request.user, get_ticket_for(request.user, number), request.POST)
    try:
        actions.release(actor=request.user, ticket=number, expected_version=_version(request))
    except actions.Conflict as conflict:
        return _conflict(request, number, conflict)
    released = _("Ticket #%(number)s released to the unassigned list.") % {"number": number}
    return after_change(request, number, released)


@require_POST
@staff_required
def close(request: StaffRequest, number: int) -> HttpResponse:
    drafts.keep_posted_text(request.user, get_ticket_for(request.user, number), request.POST)
    version = _version(request)
    try:
        closed = actions.close(
            actor=request.user,
            ticket=number,
            expected_version=version,
            notice_delay=undo.NOTICE_DELAY,
        )
    except actions.Conflict as conflict:
        return _conflict(request, number, conflict)
    # Closing a closed ticket changes nothing, and there is nothing to undo.
    offer = undo.offer_close(request.user, closed) if closed.version != version else None
    notice = _("Ticket #%(number)s closed.") % {"number": number}
    return after_change(request, number, notice, undo_offer=offer)


@require_POST
@staff_required
def change(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    drafts.keep_posted_text(request.user, ticket, request.POST)
    version = _version(request)
    form = change_form(ticket, request.user, request.POST)
    if not form.is_valid():
        return render_properties(request, ticket, 422, change_form=form)
    data = form.cleaned_data
    try:
        with transaction.atomic():
            changed = actions.change(
                actor=request.user,
                ticket=number,
                expected_version=version,
                status=data["status"],
                priority=data["priority"],
                is_sticky=data["is_sticky"],
            )
            if form.moves_unoffered():
                # After the version check: a page that is only out of date gets the conflict.
                raise ValidationError(_("You may not move this ticket to another queue."))
            if data.get("queue") is not None and data["queue"].pk != changed.queue_id:
                changed = actions.move(
                    actor=request.user,
                    ticket=number,
                    queue=data["queue"],
                    expected_version=changed.version,
                )
            # Assigning last, as it may take the ticket out of this person's view.
            if "assignee" in data and data["assignee"] != changed.assignee:
                actions.assign(
                    actor=request.user,
                    ticket=number,
                    assignee=data["assignee"],
                    expected_version=changed.version,
                )
    except actions.Conflict as conflict:
        # The panel comes back with the ticket as it is now and the values chosen.
        return _conflict(request, number, conflict, change_form=form)
    except ValidationError as error:
        add_action_errors(form, error)
        return render_properties(request, ticket, 422, change_form=form)
    return after_change(request, number, _("Changes saved."))


@require_POST
@staff_required
def details(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    drafts.keep_posted_text(request.user, ticket, request.POST)
    version = _version(request)
    form = details_form(ticket, request.POST)
    if not form.is_valid():
        return render_properties(request, ticket, 422, details_form=form, details_open=True)
    data = form.cleaned_data
    try:
        actions.change_details(
            actor=request.user,
            ticket=number,
            expected_version=version,
            title=data["title"],
            requester_email=data["requester_email"],
        )
    except actions.Conflict as conflict:
        return _conflict(request, number, conflict, details_form=form, details_open=True)
    except ValidationError as error:
        add_action_errors(form, error)
        return render_properties(request, ticket, 422, details_form=form, details_open=True)
    return after_change(request, number, _("Title and requester e-mail saved."))


ACCOUNT_RESULTS = 20


@require_GET
@staff_required
def account_search(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    query = without_controls(request.GET.get("q", "")).strip()
    accounts = search_accounts(query, ACCOUNT_RESULTS)
    context = {"ticket": ticket, "query": query, "accounts": accounts}
    template = "panel/account_search.html"
    return render(request, f"{template}#results" if request.htmx else template, context)


@require_POST
@staff_required
def start_account_search(request: StaffRequest, number: int) -> HttpResponse:
    """The ticket page's search without JavaScript: it leaves the page, so the text is kept."""
    ticket = get_ticket_for(request.user, number)
    drafts.keep_posted_text(request.user, ticket, request.POST)
    query = request.POST.get("q", "").strip()
    url = reverse("panel:account_search", args=[number])
    # 303: the search itself is a GET, which Back and Reload repeat harmlessly.
    return HttpResponseRedirect(f"{url}?{urlencode({'q': query})}", status=303)


@require_POST
@staff_required
def choose_account(request: StaffRequest, number: int) -> HttpResponse:
    get_ticket_for(request.user, number)
    form = ChooseAccountForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the accounts found."))
        return redirect("panel:account_search", number=number)
    account = form.cleaned_data["account"]
    try:
        actions.change_account(
            actor=request.user,
            ticket=number,
            account=account,
            expected_version=form.cleaned_data["expected_version"],
        )
    except actions.Conflict as conflict:
        return _conflict(request, number, conflict)
    belongs = _("The ticket now belongs to %(account)s.") % {"account": account}
    return after_change(request, number, belongs)
