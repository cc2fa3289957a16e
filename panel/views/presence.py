"""Who else is on a ticket's page (S42): polled by the page, answered with badges."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from notifications import presence
from panel.auth import StaffRequest, staff_required
from tickets.visibility import can_see


@require_POST
@staff_required
def report(request: StaffRequest, number: int) -> HttpResponse:
    if not can_see(request.user, number):
        raise Http404
    staff = request.user.staff
    assert staff is not None  # staff_required let only staff in
    others = presence.report(
        number=number,
        user_id=request.user.pk,
        name=staff.display_name,
        typing=request.POST.get("typing") == "1",
    )
    return render(request, "panel/_presence.html#presence-badges", {"others": others})
