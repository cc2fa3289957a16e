"""Attachments of a customer's conversations, as downloads the browser never renders."""

from __future__ import annotations

from typing import cast

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from panel.views.attachments import download_response
from portal.auth import CustomerRequest, customer_required, may_open
from tickets import queries
from tickets.models import Attachment


@require_GET
@customer_required
def download(request: CustomerRequest, pk: int) -> HttpResponse:
    try:
        attachment = queries.conversation_attachment(request.user, pk)
    except Attachment.DoesNotExist:
        # Another account's file, a note's file and no file look the same.
        raise Http404("No such attachment.") from None
    if not may_open(request, attachment.message.ticket_id):
        # A session a mail's link signed in sees that ticket's files alone.
        raise Http404("No such attachment.")
    # A FileResponse streams; customer_required is typed for the plain HttpResponse.
    return cast(HttpResponse, download_response(attachment))
