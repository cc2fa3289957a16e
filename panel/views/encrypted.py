"""PGP-protected information (S35): decrypted on request for staff who see the ticket.

A POST (CSRF-protected) decrypts one armored block of one message and shows it
in the ticket page's dialog (htmx) or on a page of its own (without JavaScript);
a file of a PGP/MIME message comes as a download. Each one shown is written to
the ticket's history first (tickets.actions.record_decryption). Nothing of the
plain text is stored, logged or cached: the responses say ``no-store``.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_POST

from crypto import blocks, decryption, reading
from panel.auth import StaffRequest, staff_required
from panel.views.attachments import content_disposition, safe_content_type
from tickets import actions, queries
from tickets.models import Attachment, Message
from tickets.visibility import get_ticket_for


@require_POST
@never_cache
@staff_required
@sensitive_variables()  # an error report lists no local: the plain text is one
def reveal(request: StaffRequest, number: int, pk: int, part: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    try:
        message = queries.message_of(request.user, ticket, pk)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None
    found = blocks.blocks(message.text)
    if not 1 <= part <= len(found):
        raise Http404("No such encrypted information.")
    outcome = decryption.decrypt(found[part - 1])
    context: dict[str, object] = {"ticket": ticket, "message": message, "part": part}
    status = 200
    if not outcome.ok:
        context["problem"] = outcome.problem
        # htmx swaps only a success into the dialog; a page of its own says 422.
        status = 200 if request.htmx else 422
    else:
        shown = reading.shown(outcome)
        wanted = request.POST.get("file", "")
        if wanted:
            if not wanted.isdigit() or not 1 <= int(wanted) <= len(shown.files):
                raise Http404("No such file.")
            chosen = shown.files[int(wanted) - 1]
            actions.record_decryption(actor=request.user, ticket=ticket, message=message, part=part)
            return _download(chosen)
        actions.record_decryption(actor=request.user, ticket=ticket, message=message, part=part)
        context["shown"] = shown
    template = "panel/_decrypted.html" if request.htmx else "panel/decrypted.html"
    return render(request, template, context, status=status)


@sensitive_variables()
def _download(chosen: reading.File) -> HttpResponse:
    response = HttpResponse(chosen.content, content_type=safe_content_type(chosen.content_type))
    response["Content-Disposition"] = content_disposition(chosen.name or "attachment")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@never_cache
@staff_required
@sensitive_variables()
def reveal_attachment(request: StaffRequest, pk: int) -> HttpResponse:
    """An encrypted attachment (``contract.pdf.pgp``), decrypted as a download of
    ``contract.pdf``; a problem is a page that says what went wrong."""
    try:
        attachment = queries.visible_attachment(request.user, pk)
    except Attachment.DoesNotExist:
        raise Http404("No such attachment.") from None
    message = attachment.message
    ticket = get_ticket_for(request.user, message.ticket_id)
    if attachment.size > decryption.MAX_BLOCK_CHARS:
        outcome = decryption.Outcome(problem=decryption.TOO_LARGE)
    else:
        try:
            with attachment.file.open("rb") as handle:
                data = handle.read(decryption.MAX_BLOCK_CHARS + 1)
        except OSError:
            raise Http404("The file of this attachment is missing.") from None
        outcome = decryption.decrypt_file(data)
    if not outcome.ok:
        context = {"ticket": ticket, "message": message, "problem": outcome.problem}
        return render(request, "panel/decrypted.html", context, status=422)
    name = attachment.filename
    plain_name = name.rsplit(".", 1)[0] if blocks.is_encrypted_name(name) else name
    actions.record_decryption(
        actor=request.user, ticket=ticket, message=message, attachment=attachment.filename
    )
    return _download(reading.File(plain_name or "attachment", "", outcome.data))
