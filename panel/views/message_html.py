"""A mail's sanitised HTML, isolated in a sandboxed frame (issue 12, SPEC S31).

The page frames the document mail.display writes; the frame has no scripts and
no same origin, and its response's own policy lets nothing load but inline
images. Remote images stay out until the staff member asks for them.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from mail import display
from panel.auth import StaffRequest, staff_required
from tickets import queries
from tickets.models import Message, Ticket
from tickets.visibility import get_ticket_for


def _message(request: StaffRequest, number: int, pk: int) -> tuple[Ticket, Message]:
    ticket = get_ticket_for(request.user, number)
    try:
        message = queries.message_of(request.user, ticket, pk)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None
    if not display.has_html(message):
        raise Http404("This message has no HTML.")
    return ticket, message


# The page frames its own frame; the site's policy frames nothing (django-csp reads this).
_FRAME_OUR_OWN = {"frame-src": ["'self'"]}


@require_GET
@staff_required
def page(request: StaffRequest, number: int, pk: int) -> HttpResponse:
    ticket, message = _message(request, number, pk)
    remote_images = request.GET.get("images") == "1"
    context = {
        "ticket": ticket,
        "message": message,
        "remote_images": remote_images,
        "held_images": 0 if remote_images else display.remote_images_held(message),
    }
    response = render(request, "panel/message_html.html", context)
    # What csp.decorators.csp_update sets; typed for views of one argument only.
    setattr(response, "_csp_update", _FRAME_OUR_OWN)  # noqa: B010
    return response


@require_GET
@never_cache
@staff_required
@xframe_options_sameorigin
def frame(request: StaffRequest, number: int, pk: int) -> HttpResponse:
    _ticket, message = _message(request, number, pk)
    remote_images = request.GET.get("images") == "1"
    nonce = display.new_nonce()
    response = HttpResponse(
        display.document(message, nonce, remote_images=remote_images),
        content_type="text/html; charset=utf-8",
    )
    response["Content-Security-Policy"] = display.frame_policy(nonce, remote_images=remote_images)
    response["X-Content-Type-Options"] = "nosniff"
    response["Referrer-Policy"] = "no-referrer"
    return response
