"""Retry of a ticket's outgoing mail that failed (S32), from the ticket page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mail import outbox
from mail.models import OutgoingMail
from panel.auth import StaffRequest, may_retry_mail, staff_required
from panel.views.ticket import after_change, page_context
from tickets.visibility import get_ticket_for


@require_POST
@staff_required
def retry(request: StaffRequest, number: int, pk: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    if not may_retry_mail(request.user, ticket):
        raise PermissionDenied("Only supervisors, administrators and the assignee may do this.")
    mail = get_object_or_404(OutgoingMail, pk=pk, ticket=ticket)
    if outbox.retry(mail.pk):
        notice = _("The mail to %(recipient)s will be sent again now.")
    else:
        notice = _("The mail to %(recipient)s is being sent or was sent already.")
    notice %= {"recipient": mail.recipient}
    if request.htmx:
        # Only the notice changes; the answer being typed on the page stays as it is.
        context = page_context(request, ticket, failed_mail_notice=notice)
        return render(request, "panel/ticket.html#failed-mail", context)
    return after_change(request, number, notice)
