"""What the customer receives of an answer (issue 10): the answer form's preview, built
by mail/outbound.py's own code before anything is sent, and the mail a sent answer became."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from mail.outbound import preview_answer
from mail.outbox import answer_mail_of
from panel.auth import StaffRequest, staff_required
from panel.forms import split_addresses
from panel.views.ticket import answer_form
from tickets import queries
from tickets.models import HelpdeskSettings, Message, MessageKind
from tickets.visibility import get_ticket_for

PREVIEW = "panel/ticket.html#answer-mail-preview"


@require_POST
@staff_required
def preview(request: StaffRequest, number: int) -> HttpResponse:
    """The answer form as typed, as a mail (htmx: into the form; else a page of its own).

    Nothing is written: no outbox row, no portal link, no draft. The "Assigned to"
    line names whom the form hands the ticket to, as the sent answer would.
    """
    ticket = get_ticket_for(request.user, number)
    limits = HelpdeskSettings.load()
    form = answer_form(ticket, request.user, request.POST, limits=limits)
    form.is_valid()
    text = form.cleaned_data.get("answer", "")
    assignee = ticket.assignee
    if form.cleaned_data.get("assignee") is not None and form.reassignment_wanted():
        assignee = form.cleaned_data["assignee"]
    cc = form.cleaned_data.get("cc", split_addresses(request.POST.get("cc", "")))
    mail = None
    if text.strip():
        mail = preview_answer(ticket, text=text, author=request.user, cc=cc, assignee=assignee)
    context = {"ticket": ticket, "preview": mail, "nothing_typed": not text.strip()}
    template = PREVIEW if request.htmx else "panel/answer_mail_preview.html"
    return render(request, template, context)


@require_GET
@staff_required
def sent(request: StaffRequest, number: int, pk: int) -> HttpResponse:
    """The mail an answer of the thread became, as it was written to the outbox."""
    ticket = get_ticket_for(request.user, number)
    try:
        message = queries.message_of(request.user, ticket, pk)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None
    if message.kind != MessageKind.ANSWER:
        raise Http404("Only an answer is sent as mail.")
    context = {"ticket": ticket, "message": message, "mails": answer_mail_of(message)}
    return render(request, "panel/answer_mail_sent.html", context)
