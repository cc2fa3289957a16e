"""The quarantine (S31): mail that could not be processed, for administrators to re-run;
and automatic mail (bounces, auto-replies) that matched no ticket, to file as a person's."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from frontdesk.storage import out_of_space
from mail.ingest import reprocess, reprocess_unmatched, unmatched_automatic
from mail.models import Outcome, QuarantinedMessage
from panel.auth import StaffRequest, admin_required
from panel.mail_headers import read_headers
from panel.views.attachments import content_disposition
from panel.views.mail_overview import reprocess_kept
from tickets import queries
from tickets.models import Ticket

PAGE_SIZE = 50
# The newest automatic mail without a ticket shown; older ones stay in the admin.
RECENT_UNMATCHED = 50


def ticket_of(user: User, entry: QuarantinedMessage) -> Ticket | None:
    """The ticket the re-processed message went to, if this person may see it."""
    if entry.inbound is None or entry.inbound.ticket_id is None:
        return None
    return queries.find(user, entry.inbound.ticket_id)


@require_GET
@admin_required
def quarantine_list(request: StaffRequest) -> HttpResponse:
    show_resolved = request.GET.get("show") == "all"
    entries = QuarantinedMessage.objects.order_by("-created_at", "-id")
    if not show_resolved:
        entries = entries.filter(resolved=False)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "rows": [(entry, read_headers(entry.raw)) for entry in page],
        "show_resolved": show_resolved,
        "unmatched": [
            (row, read_headers(row.raw)) for row in unmatched_automatic()[:RECENT_UNMATCHED]
        ],
    }
    return render(request, "panel/quarantine.html", context)


@require_GET
@admin_required
def quarantine_entry(request: StaffRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(QuarantinedMessage.objects.select_related("inbound", "queue"), pk=pk)
    context = {
        "entry": entry,
        "headers": read_headers(entry.raw),
        "ticket": ticket_of(request.user, entry),
    }
    return render(request, "panel/quarantine_entry.html", context)


@require_GET
@admin_required
def quarantine_raw(request: StaffRequest, pk: int) -> FileResponse:
    entry = get_object_or_404(QuarantinedMessage, pk=pk)
    try:
        handle = entry.raw.open("rb")
    except (OSError, ValueError):
        raise Http404("The raw message is missing.") from None
    # message/rfc822 would let a browser render the sender's HTML: plain bytes only.
    response = FileResponse(handle, content_type="application/octet-stream")
    response["Content-Disposition"] = content_disposition(f"quarantined-{entry.pk}.eml")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@admin_required
def quarantine_reprocess(request: StaffRequest, pk: int) -> HttpResponse:
    entry = get_object_or_404(QuarantinedMessage, pk=pk)
    if entry.resolved:
        messages.info(request, _("This message was processed already."))
        return redirect("panel:quarantine_entry", pk=entry.pk)
    try:
        result = reprocess(entry)
    except OSError as failure:
        if out_of_space(failure):
            messages.error(
                request, _("Not re-processed: the server is out of space. Try again later.")
            )
        else:
            unread = _("The raw message could not be read: %(failure)s") % {"failure": failure}
            messages.error(request, unread)
        return redirect("panel:quarantine_entry", pk=entry.pk)
    if result.inbound is None:
        error = result.quarantined.error if result.quarantined else _("no error recorded")
        messages.error(request, _("Still failing: %(error)s") % {"error": error})
        return redirect("panel:quarantine_entry", pk=entry.pk)
    ticket = ticket_of(request.user, entry)
    if result.duplicate:
        done = _("It had been stored already: %(outcome)s.")
    else:
        done = _("Re-processed: %(outcome)s.")
    done %= {"outcome": result.inbound.get_outcome_display()}
    if ticket:
        done += " " + _("Ticket #%(number)s.") % {"number": ticket.number}
    messages.success(request, done)
    return redirect("panel:quarantine_entry", pk=entry.pk)


@require_POST
@admin_required
def unmatched_reprocess(request: StaffRequest, pk: int) -> HttpResponse:
    """The admin says this automatic mail needs a person: file it as a reply or a ticket."""
    row = reprocess_kept(request, pk, outcome=Outcome.IGNORED, reprocess=reprocess_unmatched)
    if row is None:
        return redirect("panel:quarantine")
    done = _("Re-processed: %(outcome)s.") % {"outcome": row.get_outcome_display()}
    ticket = queries.find(request.user, row.ticket_id) if row.ticket_id else None
    if ticket:
        done += " " + _("Ticket #%(number)s.") % {"number": ticket.number}
    messages.success(request, done)
    return redirect("panel:quarantine")
