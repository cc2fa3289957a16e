"""How mail fares, for administrators: quarantine, failing mailboxes, failed outgoing mail."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from mail.fetch import failing_mailboxes
from mail.models import OutgoingMail, OutgoingState, QuarantinedMessage
from panel.auth import StaffRequest, admin_required


@require_GET
@admin_required
def overview(request: StaffRequest) -> HttpResponse:
    context = {
        "quarantine_count": QuarantinedMessage.objects.filter(resolved=False).count(),
        "failing_mailboxes": list(failing_mailboxes().select_related("queue")),
        "failed_mail_count": OutgoingMail.objects.filter(state=OutgoingState.FAILED).count(),
    }
    return render(request, "panel/mail_overview.html", context)
