"""Service levels: administrators keep the calendars (business hours, holidays) and
the policies (targets per queue and priority band); sla/rules.py writes them."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import ProtectedError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts import audit
from panel.auth import StaffRequest, admin_required
from panel.service_level_forms import CalendarForm, PolicyForm
from sla import rules
from sla.models import Calendar, Policy


@require_GET
@admin_required
def overview(request: StaffRequest) -> HttpResponse:
    return render(
        request,
        "panel/service_levels.html",
        {
            "calendars": Calendar.objects.prefetch_related("holidays"),
            "policies": Policy.objects.select_related("queue", "calendar"),
        },
    )


def _edit_calendar(request: StaffRequest, calendar: Calendar) -> HttpResponse:
    form = CalendarForm(request.POST or None, instance=calendar)
    context = {"form": form, "calendar": calendar}
    if request.method != "POST":
        return render(request, "panel/service_level_calendar.html", context)
    if not form.is_valid():
        return render(request, "panel/service_level_calendar.html", context, status=422)
    saved = rules.save_calendar(
        actor=request.user,
        calendar=form.save(commit=False),
        holidays=form.cleaned_data["holidays"],
        detail=audit.changes(form),
        client_address=audit.address_of(request),
    )
    messages.success(request, _("Calendar %(name)s saved.") % {"name": saved.name})
    return redirect("panel:service_levels")


@admin_required
def calendar_create(request: StaffRequest) -> HttpResponse:
    return _edit_calendar(request, Calendar())


@admin_required
def calendar_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit_calendar(request, get_object_or_404(Calendar, pk=pk))


@admin_required
def calendar_delete(request: StaffRequest, pk: int) -> HttpResponse:
    calendar = get_object_or_404(Calendar, pk=pk)
    if request.method != "POST":
        return render(request, "panel/service_level_delete.html", {"thing": calendar})
    try:
        rules.delete_calendar(
            actor=request.user, calendar=calendar, client_address=audit.address_of(request)
        )
    except ProtectedError:
        messages.error(request, _("A policy uses this calendar: change the policy first."))
        return redirect("panel:service_levels")
    messages.success(request, _("Calendar %(name)s deleted.") % {"name": calendar.name})
    return redirect("panel:service_levels")


def _edit_policy(request: StaffRequest, policy: Policy) -> HttpResponse:
    form = PolicyForm(request.POST or None, instance=policy)
    context = {"form": form, "policy": policy}
    if request.method != "POST":
        return render(request, "panel/service_level_policy.html", context)
    if not form.is_valid():
        return render(request, "panel/service_level_policy.html", context, status=422)
    rules.save_policy(
        actor=request.user,
        policy=form.save(commit=False),
        detail=audit.changes(form),
        client_address=audit.address_of(request),
    )
    messages.success(request, _("Service level saved."))
    return redirect("panel:service_levels")


@admin_required
def policy_create(request: StaffRequest) -> HttpResponse:
    return _edit_policy(request, Policy())


@admin_required
def policy_edit(request: StaffRequest, pk: int) -> HttpResponse:
    return _edit_policy(request, get_object_or_404(Policy, pk=pk))


@admin_required
def policy_delete(request: StaffRequest, pk: int) -> HttpResponse:
    policy = get_object_or_404(Policy.objects.select_related("queue"), pk=pk)
    if request.method != "POST":
        return render(request, "panel/service_level_delete.html", {"thing": policy})
    rules.delete_policy(actor=request.user, policy=policy, client_address=audit.address_of(request))
    messages.success(request, _("Service level deleted."))
    return redirect("panel:service_levels")
