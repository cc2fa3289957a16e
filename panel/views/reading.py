"""My Profile's time zone and thread order: how the person reads the panel."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from panel import reading
from panel.auth import StaffRequest, staff_required
from panel.forms import ReadingForm


@require_POST
@staff_required
def reading_settings(request: StaffRequest) -> HttpResponse:
    form = ReadingForm(request.POST, desk_zone=settings.TIME_ZONE)
    if not form.is_valid():
        messages.error(request, _("Choose one of the time zones offered."))
        return redirect("panel:profile")
    reading.save(
        user=request.user,
        time_zone=form.cleaned_data["time_zone"],
        newest_first=form.cleaned_data["newest_first"],
    )
    messages.success(request, _("Your time zone and thread order are saved."))
    return redirect("panel:profile")
