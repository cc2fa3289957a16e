"""A customer's tickets: the conversation, a reply, closing, a new ticket (S33)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from http import HTTPStatus
from typing import TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontdesk.storage import out_of_space
from kb import suggestions as kb_suggestions
from panel.forms import OUT_OF_SPACE, add_action_errors
from portal.auth import CustomerRequest, customer_required, limit_to_ticket, ticket_scope, writes
from portal.forms import NewTicketForm, PortalForm, ReplyForm
from tickets import actions, queries
from tickets.models import DONE_STATUSES, HelpdeskSettings, Ticket, TicketType
from tickets.queues import offered_in_portal

Done = TypeVar("Done")


def attempt(form: PortalForm, change: Callable[[], Done]) -> tuple[Done | None, int]:
    """Make a change a valid form asks for; a refusal, or a full disk, goes onto the form
    (which comes back with what was typed) with the status to answer."""
    try:
        return change(), HTTPStatus.OK
    except ValidationError as error:
        add_action_errors(form, error, {"text": "message"})
        return None, HTTPStatus.UNPROCESSABLE_ENTITY
    except OSError as error:
        if not out_of_space(error):
            raise
        form.add_error("attachments", OUT_OF_SPACE)
        return None, HTTPStatus.INSUFFICIENT_STORAGE


def dropped_files(request: HttpRequest, form: PortalForm) -> list[str]:
    """Names of the files posted with a form that comes back: a browser cannot be
    given them again, so the page asks for them by name (the text is kept)."""
    if not form.is_bound:
        return []
    return [upload.name or "" for upload in request.FILES.getlist("attachments")]


def moves_to_closed_on(ticket: Ticket, desk: HelpdeskSettings) -> datetime | None:
    """When a ticket support resolved leaves the customer's answered list by itself."""
    if ticket.status not in DONE_STATUSES or ticket.closed_at is None:
        return None
    return ticket.closed_at + timedelta(days=desk.answered_stays_open_days)


def render_ticket(
    request: CustomerRequest,
    ticket: Ticket,
    form: ReplyForm | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    desk = HelpdeskSettings.load()
    if form is None:
        form = ReplyForm(max_attachment_size=desk.max_attachment_size, auto_id="reply-%s")
    context = {
        "section": "tickets",
        "ticket": ticket,
        "thread": queries.conversation(request.user, ticket),
        "form": form,
        "files_dropped": dropped_files(request, form),
        "moves_to_closed_on": moves_to_closed_on(ticket, desk),
    }
    return render(request, "portal/ticket.html", context, status=status)


@require_GET
@customer_required
def ticket_page(request: CustomerRequest, number: int) -> HttpResponse:
    ticket = queries.customer_ticket(request.user, number)
    if ticket.merged_into_id is not None:
        # Merged (S43): its conversation goes on in the survivor, if they may see it.
        survivor = queries.survivor_for(request.user, ticket)
        if survivor is not None:
            if ticket_scope(request) == number:
                # Signed in by a link to the merged ticket: its conversation is there now.
                limit_to_ticket(request, survivor.number)
            return redirect("portal:ticket", number=survivor.number)
    return render_ticket(request, ticket)


@require_POST
@customer_required
@writes(gettext_noop("Send a reply on ticket #{number}"))
def reply(request: CustomerRequest, number: int) -> HttpResponse:
    ticket = queries.customer_ticket(request.user, number)
    limit = HelpdeskSettings.load().max_attachment_size
    form = ReplyForm(request.POST, request.FILES, max_attachment_size=limit, auto_id="reply-%s")
    if not form.is_valid():
        return render_ticket(request, ticket, form, HTTPStatus.UNPROCESSABLE_ENTITY)
    message, status = attempt(
        form,
        lambda: actions.customer_reply(
            actor=request.user,
            ticket=ticket.number,
            text=form.cleaned_data["message"],
            attachments=form.cleaned_data["attachments"],
        ),
    )
    if message is None:
        return render_ticket(request, ticket, form, status)
    reopened = ticket.customer_state == queries.CLOSED  # type: ignore[attr-defined]
    messages.success(
        request,
        _("Your reply was sent. It opened the ticket again.")
        if reopened
        else _("Your reply was sent."),
    )
    return redirect(reverse("portal:ticket", args=[number]) + f"#message-{message.pk}")


@require_POST
@customer_required
@writes(gettext_noop("Close ticket #{number}"))
def close(request: CustomerRequest, number: int) -> HttpResponse:
    ticket = queries.customer_ticket(request.user, number)
    actions.close(actor=request.user, ticket=ticket.number)
    messages.success(
        request,
        _("Ticket #%(number)s is closed. If you need more help with it, just reply.")
        % {"number": number},
    )
    return redirect("portal:ticket", number=number)


@require_http_methods(["GET", "POST"])
@customer_required
@writes(gettext_noop("Open a new ticket"))
def new_ticket(request: CustomerRequest) -> HttpResponse:
    desk = HelpdeskSettings.load()
    posted = request.method == "POST"
    form = NewTicketForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        queues=offered_in_portal(),
        max_attachment_size=desk.max_attachment_size,
    )
    status: int = HTTPStatus.UNPROCESSABLE_ENTITY if posted else HTTPStatus.OK
    if posted and form.is_valid():
        ticket, status = attempt(form, lambda: open_from(request, form, desk))
        if ticket is not None:
            kb_suggestions.ticket_opened(request.session)
            messages.success(
                request,
                _(
                    "Thank you: ticket #%(number)s is open. Our answer comes here "
                    "and by e-mail to %(email)s."
                )
                % {"number": ticket.number, "email": ticket.requester_email},
            )
            return redirect("portal:ticket", number=ticket.number)
    context = {
        "section": "new",
        "form": form,
        "files_dropped": dropped_files(request, form),
    }
    return render(request, "portal/new_ticket.html", context, status=status)


def open_from(request: CustomerRequest, form: NewTicketForm, desk: HelpdeskSettings) -> Ticket:
    data = form.cleaned_data
    return actions.open_ticket(
        actor=request.user,
        title=data["title"],
        requester_email=request.user.email,
        text=data["message"],
        type=TicketType.PORTAL,
        queue=data.get("queue"),
        priority=form.priority_number(desk),
        attachments=data["attachments"],
    )
