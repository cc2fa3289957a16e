"""Mass Assign, Move, Close, Change priority and Delete (S17, S22), as jobs.

A list's mass form names the checked tickets (each with the version the page
showed) or, on a search, all of its results; the view asks tickets/mass.py
for a job and sends the person to its page, which shows the progress and
then what was done and what was refused, and why. More than
``CONFIRM_ABOVE`` tickets, and every deletion, are confirmed first.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from accounts.queries import assignable_staff
from panel import undo
from panel.auth import StaffRequest, staff_required, supervisor_required
from panel.mass_jobs import describe, summary_of
from tickets import mass, queries
from tickets.models import MassAction, MassJob, Queue

#: More tickets than this are confirmed before the job starts ("Close 2,431 tickets?").
CONFIRM_ABOVE = 100
#: How many of the tickets to delete the confirmation names.
LISTED_FOR_DELETION = 100
# "1042" or "1042:3" (number and the version the page showed), separated by
# spaces or commas; bounded so a number is never a database overflow.
TOKEN = re.compile(r"(\d{1,18})(?::(\d{1,9}))?")
SEPARATORS = re.compile(r"[\s,]+")


@dataclass
class Asked:
    """What the mass form asked for: tickets (with versions) or a search, and the choices."""

    numbers: list[tuple[int, int | None]] = field(default_factory=list)
    #: The search's query string when "all results" was ticked ("" is a search too).
    criteria: str | None = None
    choices: dict[str, Any] = field(default_factory=dict)

    @property
    def tokens(self) -> str:
        """The selection as one field: the confirmation passes it on."""
        return " ".join(
            f"{number}:{version}" if version is not None else str(number)
            for number, version in self.numbers
        )


def read_selection(request: StaffRequest) -> Asked:
    """The checked boxes (``ticket``), the numbers in one field (``numbers``, which the
    page's script fills so that thousands make one field) or, with ``all_results``
    ticked, the search the page showed (``criteria``)."""
    if request.POST.get("all_results") == "yes":
        return Asked(criteria=request.POST.get("criteria", "").strip())
    values = [*request.POST.getlist("ticket"), *SEPARATORS.split(request.POST.get("numbers", ""))]
    chosen: dict[int, int | None] = {}
    for value in values:
        if not value:
            continue
        match = TOKEN.fullmatch(value)
        if match is None:
            raise ValidationError(_("“%(value)s” is not a ticket number.") % {"value": value[:20]})
        chosen.setdefault(int(match[1]), int(match[2]) if match[2] else None)
    # Before anything is shown again: a confirmation would echo all of them.
    mass.check_selection_size(len(chosen))
    return Asked(numbers=list(chosen.items()))


def count_of(request: StaffRequest, asked: Asked) -> int:
    if asked.criteria is not None:
        return mass.count_matching(request.user, asked.criteria)
    return len(asked.numbers)


def safe_next(request: StaffRequest) -> str:
    """Where the list was; only a path on this site, never a page elsewhere."""
    target = request.POST.get("next", "") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("panel:home")


def back(request: StaffRequest) -> HttpResponse:
    return redirect(safe_next(request))


def ask(request: StaffRequest, action: str, **choices: Any) -> HttpResponse:
    """Confirm a large selection, else start the job and show its page."""
    try:
        asked = read_selection(request)
        asked.choices = choices
        count = count_of(request, asked)
        if count > CONFIRM_ABOVE and request.POST.get("confirmed") != "yes":
            return confirm(request, action, asked, count)
        job = mass.start(
            owner=request.user,
            action=action,
            numbers=asked.numbers,
            criteria=asked.criteria,
            **choices,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back(request)
    page = reverse("panel:mass_job", kwargs={"pk": job.pk})
    return redirect(f"{page}?{urlencode({'next': safe_next(request)})}")


def confirm(request: StaffRequest, action: str, asked: Asked, count: int) -> HttpResponse:
    """The same form once more, with the count to agree to ("Close 2,431 tickets?")."""
    context = {
        "action": action,
        "what": describe(action, asked.choices, count=count),
        "count": count,
        "asked": asked,
        "hidden": {name: value for name, value in _choice_fields(asked.choices).items()},
        "url": reverse("panel:mass_delete_confirmed")
        if action == MassAction.DELETE
        else request.path,
        "next": safe_next(request),
        "tickets": _listed(request, asked) if action == MassAction.DELETE else [],
    }
    return render(request, "panel/mass_confirm.html", context)


def _choice_fields(choices: dict[str, Any]) -> dict[str, str]:
    """The choices as the form posted them, for the confirmation to post again."""
    fields = {}
    for name, value in choices.items():
        if name == "tell_customers":
            if value:
                fields[name] = "on"
        elif value is not None:
            fields[name] = str(getattr(value, "pk", value))
    return fields


def _listed(request: StaffRequest, asked: Asked) -> list[Any]:
    numbers = [number for number, _version in asked.numbers][:LISTED_FOR_DELETION]
    return list(queries.visible_by_numbers(request.user, numbers)) if numbers else []


def _number(request: StaffRequest, name: str) -> int | None:
    value = request.POST.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) <= 9 else None


@require_POST
@supervisor_required
def assign(request: StaffRequest) -> HttpResponse:
    pk = _number(request, "assignee")
    assignee = assignable_staff().filter(pk=pk).first() if pk is not None else None
    if assignee is None:
        messages.error(request, _("Choose whom to assign the tickets to."))
        return back(request)
    return ask(request, MassAction.ASSIGN, assignee=assignee)


@require_POST
@supervisor_required
def move(request: StaffRequest) -> HttpResponse:
    pk = _number(request, "queue")
    queue: Queue | None = (
        queries.queues_for_mass_move(request.user).filter(pk=pk).first() if pk is not None else None
    )
    if queue is None:
        messages.error(request, _("Choose the queue to move the tickets to."))
        return back(request)
    return ask(request, MassAction.MOVE, queue=queue)


@require_POST
@staff_required
def change_priority(request: StaffRequest) -> HttpResponse:
    priority = _number(request, "priority")
    if priority is None or not 1 <= priority <= 99:
        messages.error(request, _("Priority must be a number from 1 to 99."))
        return back(request)
    return ask(request, MassAction.PRIORITY, priority=priority)


@require_POST
@staff_required
def close(request: StaffRequest) -> HttpResponse:
    tell = request.POST.get("tell_customers") == "on"
    return ask(request, MassAction.CLOSE, tell_customers=tell)


@require_POST
@supervisor_required
def confirm_delete(request: StaffRequest) -> HttpResponse:
    """Deleting cannot be undone: always asked first, naming the tickets."""
    try:
        asked = read_selection(request)
        count = count_of(request, asked)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return back(request)
    if not count:
        messages.error(request, _("Select at least one ticket first."))
        return back(request)
    return confirm(request, MassAction.DELETE, asked, count)


@require_POST
@supervisor_required
def delete(request: StaffRequest) -> HttpResponse:
    return ask(request, MassAction.DELETE)


@require_GET
@staff_required
def job_page(request: StaffRequest, pk: int) -> HttpResponse:
    """The progress, then the summary; htmx asks for the progress part every second."""
    try:
        job = mass.job_for(request.user, pk)
    except MassJob.DoesNotExist:
        raise Http404("No such mass action.") from None
    context = {
        "job": job,
        "summary": summary_of(job),
        "next": safe_next(request),
        "undo_offer": undo.offer_mass_close(request.user, job),
    }
    template = "panel/mass_job.html#progress" if request.htmx else "panel/mass_job.html"
    return render(request, template, context)


@require_GET
@staff_required
def job_list(request: StaffRequest) -> HttpResponse:
    jobs = mass.recent_jobs(request.user)
    return render(request, "panel/mass_jobs.html", {"jobs": [summary_of(job) for job in jobs]})
