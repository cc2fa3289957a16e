"""Make a Ticket (S21): staff open a ticket on a customer's behalf."""

from __future__ import annotations

from http import HTTPStatus

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from frontdesk.storage import out_of_space
from frontdesk.text import visible_controls
from panel import pending_uploads
from panel.auth import StaffRequest, staff_required
from panel.forms import OUT_OF_SPACE, MakeTicketForm, add_action_errors
from panel.models import PendingUpload
from tickets import actions
from tickets.models import HelpdeskSettings, TicketType
from tickets.queues import default_queue
from tickets.visibility import can_see


@staff_required
def make_ticket(request: StaffRequest) -> HttpResponse:
    limits = HelpdeskSettings.load()
    if request.method != "POST":
        initial = {
            "priority": limits.priority_normal,
            "queue": default_queue(),
        }
        form = MakeTicketForm(initial=initial, max_attachment_size=limits.max_attachment_size)
        return render(request, "panel/make_ticket.html", {"form": form})
    form = MakeTicketForm(
        request.POST,
        request.FILES,
        max_attachment_size=limits.max_attachment_size,
        user=request.user,
    )
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    if form.is_valid():
        data = form.cleaned_data
        kept = [pending_uploads.as_incoming(upload) for upload in form.kept]
        try:
            ticket = actions.open_ticket(
                actor=request.user,
                title=data["title"],
                requester_email=data["requester_email"],
                text=data["message"],
                type=TicketType.STAFF,
                queue=data["queue"],
                account=data["account"],
                priority=data["priority"],
                attachments=[*data["attachments"], *kept],
                send_confirmation=not data["no_confirmation"],
            )
        except ValidationError as error:
            add_action_errors(form, error, {"text": "message"})
        except OSError as error:
            if not out_of_space(error):
                raise
            form.add_error("attachments", OUT_OF_SPACE)
            status = HTTPStatus.INSUFFICIENT_STORAGE
        else:
            pending_uploads.discard(form.kept)
            made = {"number": ticket.number, "queue": ticket.queue}
            messages.success(request, _("Ticket #%(number)s made in %(queue)s.") % made)
            if can_see(request.user, ticket):
                return redirect("panel:ticket", number=ticket.number)
            return redirect("panel:home")
    kept_files, dropped = keep_chosen(request, form)
    context = {"form": form, "kept_files": kept_files, "dropped_files": dropped}
    return render(request, "panel/make_ticket.html", context, status=status)


def keep_chosen(
    request: StaffRequest, form: MakeTicketForm
) -> tuple[list[tuple[str, PendingUpload]], list[str]]:
    """The files of a refused form: kept for its next sending (with their references),
    and the names of those that could not be (too large, or no room to keep them)."""
    chosen = form.cleaned_data.get("attachments") or []
    try:
        kept = [*form.kept, *pending_uploads.keep(user=request.user, files=chosen)]
    except OSError as error:
        if not out_of_space(error):
            raise
        kept, chosen = form.kept, []
    dropped = [
        visible_controls(upload.name or "")
        for upload in request.FILES.getlist("attachments")
        if not any(upload is incoming.content for incoming in chosen)
    ]
    return [(pending_uploads.reference(upload), upload) for upload in kept], dropped
