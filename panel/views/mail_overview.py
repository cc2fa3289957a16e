"""How mail fares, for administrators: quarantine, failing mailboxes, failed outgoing mail,
mail held by the new-ticket limit and mail kept as loops; and the periodic jobs that move it."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from frontdesk import jobs
from mail import limits, loop, sending
from mail.fetch import failing_mailboxes, insecure_mailboxes
from mail.ingest import TEMPORARY_ERRORS, reprocess_loop, unmatched_automatic
from mail.models import InboundMessage, Outcome, OutgoingMail, OutgoingState, QuarantinedMessage
from panel.auth import StaffRequest, admin_required
from panel.mail_headers import read_headers

RECENT_LOOPS = 20


@require_GET
@admin_required
def overview(request: StaffRequest) -> HttpResponse:
    context = {
        "quarantine_count": QuarantinedMessage.objects.filter(resolved=False).count(),
        "failing_mailboxes": list(failing_mailboxes().select_related("queue")),
        "insecure_mailboxes": list(insecure_mailboxes().select_related("queue")),
        "failed_mail_count": OutgoingMail.objects.filter(state=OutgoingState.FAILED).count(),
        "sending": sending.state(),
        "sending_failing_since": sending.failing_since(),
        "sink": sending.kept_by_sink() if sending.is_sink() else None,
        "held_count": limits.held_messages().count(),
        "unmatched_count": unmatched_automatic().count(),
        "loops": [(row, read_headers(row.raw)) for row in loop.kept_as_loops()[:RECENT_LOOPS]],
        "jobs": jobs.states(),
        "restarts": jobs.recent_restarts(),
    }
    return render(request, "panel/mail_overview.html", context)


def reprocess_kept(
    request: StaffRequest,
    pk: int,
    *,
    outcome: str,
    reprocess: Callable[..., InboundMessage],
) -> InboundMessage | None:
    """Process a message kept as ``outcome`` again, as the admin asked; None (and a
    message to the admin) when it was processed already or could not be."""
    row = get_object_or_404(InboundMessage, pk=pk)
    if row.outcome != outcome:
        messages.info(request, _("This message was processed already."))
        return None
    try:
        return reprocess(row, by=request.user)
    except TEMPORARY_ERRORS:
        raise
    except Exception as error:
        failure = f"{type(error).__name__}: {error}"
        messages.error(request, _("It could not be processed: %(error)s") % {"error": failure})
        return None


@require_POST
@admin_required
def loop_reprocess(request: StaffRequest, pk: int) -> HttpResponse:
    """The admin says it was no loop: the message is processed as if it had no loop mark."""
    row = reprocess_kept(request, pk, outcome=Outcome.LOOP, reprocess=reprocess_loop)
    if row is not None:
        messages.success(
            request, _("Re-processed: %(outcome)s.") % {"outcome": row.get_outcome_display()}
        )
    return redirect("panel:mail")
    try:
        row = reprocess_loop(row, by=request.user)
    except TEMPORARY_ERRORS:
        raise
    except Exception as error:
        failure = f"{type(error).__name__}: {error}"
        messages.error(request, _("It could not be processed: %(error)s") % {"error": failure})
        return redirect("panel:mail")
    messages.success(
        request, _("Re-processed: %(outcome)s.") % {"outcome": row.get_outcome_display()}
    )
    return redirect("panel:mail")
