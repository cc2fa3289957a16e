"""Merging a ticket into another and splitting a message off (S43), each after a confirm page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from panel.auth import StaffRequest, staff_required
from panel.forms import VersionedForm, add_action_errors
from panel.merge_forms import ConfirmMergeForm, MergeIntoForm
from tickets import actions, queries
from tickets.actions.merging import check_mergeable
from tickets.models import Message, Ticket
from tickets.visibility import get_ticket_for


def _choose(
    request: StaffRequest, ticket: Ticket, form: MergeIntoForm, status: int
) -> HttpResponse:
    return render(request, "panel/merge.html", {"ticket": ticket, "form": form}, status=status)


def _confirm(
    request: StaffRequest, ticket: Ticket, into: Ticket, status: int = 200, **extra: Any
) -> HttpResponse:
    confirm = ConfirmMergeForm(
        initial={
            "into": into.number,
            "expected_version": ticket.version,
            "expected_into_version": into.version,
        }
    )
    context = {"ticket": ticket, "into": into, "confirm": confirm, **extra}
    return render(request, "panel/merge.html", context, status=status)


@require_GET
@staff_required
def choose_merge(request: StaffRequest, number: int) -> HttpResponse:
    """The other ticket's number, then both tickets to confirm (a GET: nothing changes)."""
    ticket = get_ticket_for(request.user, number)
    if "into" not in request.GET:
        return _choose(request, ticket, MergeIntoForm(), 200)
    form = MergeIntoForm(request.GET)
    if not form.is_valid():
        return _choose(request, ticket, form, 422)
    into = queries.find(request.user, form.cleaned_data["into"])
    if into is None:
        missing = _("You see no ticket #%(number)s.") % {"number": form.cleaned_data["into"]}
        form.add_error("into", missing)
        return _choose(request, ticket, form, 422)
    try:
        if into.pk == ticket.pk:
            raise ValidationError({"into": _("A ticket cannot be merged into itself.")})
        check_mergeable(ticket, into)
    except ValidationError as error:
        add_action_errors(form, error)
        return _choose(request, ticket, form, 422)
    return _confirm(request, ticket, into)


@require_POST
@staff_required
def merge(request: StaffRequest, number: int) -> HttpResponse:
    ticket = get_ticket_for(request.user, number)
    form = ConfirmMergeForm(request.POST)
    if not form.is_valid():
        return _choose(request, ticket, MergeIntoForm(), 422)
    data = form.cleaned_data
    try:
        survivor = actions.merge(
            actor=request.user,
            ticket=number,
            into=data["into"],
            expected_version=data["expected_version"],
            expected_into_version=data["expected_into_version"],
        )
    except actions.Conflict as conflict:
        # Both as they are now: the person confirms again knowing what changed.
        into = get_ticket_for(request.user, data["into"])
        ticket = get_ticket_for(request.user, number)
        return _confirm(request, ticket, into, 409, conflict=conflict)
    except ValidationError as error:
        choose = MergeIntoForm({"into": str(data["into"])})
        choose.is_valid()
        add_action_errors(choose, error)
        return _choose(request, ticket, choose, 422)
    notice = _("Ticket #%(merged)s was merged into #%(number)s.")
    messages.success(request, notice % {"merged": number, "number": survivor.number})
    return redirect("panel:ticket", number=survivor.number)


@staff_required
def split_message(request: StaffRequest, number: int, pk: int) -> HttpResponse:
    """A customer message off into a new ticket, after confirmation."""
    ticket = get_ticket_for(request.user, number)
    try:
        message = queries.message_of(request.user, ticket, pk)
    except Message.DoesNotExist:
        raise Http404("No such message.") from None
    context: dict[str, Any] = {"ticket": ticket, "message": message}
    if request.method != "POST":
        return render(request, "panel/split.html", context)
    form = VersionedForm(request.POST)
    if not form.is_valid():
        return render(request, "panel/split.html", context, status=422)
    try:
        new = actions.split_off(
            actor=request.user,
            ticket=number,
            message=message.pk,
            expected_version=form.cleaned_data["expected_version"],
        )
    except actions.Conflict as conflict:
        context["ticket"] = get_ticket_for(request.user, number)
        return render(request, "panel/split.html", {**context, "conflict": conflict}, status=409)
    except ValidationError as error:
        add_action_errors(form, error)
        return render(request, "panel/split.html", {**context, "form": form}, status=422)
    notice = _("The message now starts ticket #%(number)s.")
    messages.success(request, notice % {"number": new.number})
    return redirect("panel:ticket", number=new.number)
