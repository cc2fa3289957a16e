"""The settings page for administrators (S26)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from panel.auth import StaffRequest, admin_required
from panel.forms import SettingsForm
from tickets.models import HelpdeskSettings


@admin_required
def settings_page(request: StaffRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, instance=HelpdeskSettings.load())
    if request.method != "POST":
        return render(request, "panel/settings.html", {"form": form})
    if not form.is_valid():
        return render(request, "panel/settings.html", {"form": form}, status=422)
    form.save()
    messages.success(request, "Settings saved.")
    return redirect("panel:settings")
