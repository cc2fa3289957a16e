"""Undo of a close and of a mass close, for a few seconds after it (panel/undo.py)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from panel import undo
from panel.auth import StaffRequest, staff_required
from panel.views.mass import back
from tickets import actions, mass
from tickets.models import MassJob
from tickets.visibility import get_ticket_for


@require_POST
@staff_required
def undo_close(request: StaffRequest, number: int) -> HttpResponse:
    get_ticket_for(request.user, number)
    try:
        version = undo.closed_version(request, number)
        actions.undo_close(actor=request.user, ticket=number, expected_version=version)
    except undo.Refused as refused:
        messages.error(request, str(refused))
    except actions.Conflict as conflict:
        changes = "; ".join(words for _event, words in conflict.lines)
        refusal = _("Not undone: ticket #%(number)s was changed since it was closed: %(changes)s.")
        messages.error(request, refusal % {"number": number, "changes": changes})
    except ValidationError as error:
        # Another change came after the close (a merge closes too): nothing to take back.
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Undone: ticket #%(number)s is open again.") % {"number": number}
        )
    return redirect("panel:ticket", number=number)


@require_POST
@staff_required
def undo_mass_close(request: StaffRequest, pk: int) -> HttpResponse:
    try:
        job = mass.job_for(request.user, pk)
    except MassJob.DoesNotExist:
        raise Http404("No such mass action.") from None
    try:
        undo.check_mass(request, job)
        undone = mass.undo_close(actor=request.user, job=job)
    except undo.Refused as refused:
        messages.error(request, str(refused))
        return back(request)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return back(request)
    if undone.job is not None:
        # Too many for one request: the worker reopens them; its page shows how far.
        return redirect("panel:mass_job", pk=undone.job.pk)
    reopened = ngettext(
        "Undone: %(count)s ticket is open again.",
        "Undone: %(count)s tickets are open again.",
        undone.reopened,
    ) % {"count": undone.reopened}
    messages.success(request, reopened)
    for number, reason in undone.refusals:
        refusal = _("Not undone: #%(number)s %(reason)s") % {"number": number, "reason": reason}
        messages.error(request, refusal)
    return back(request)
