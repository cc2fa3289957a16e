"""The settings page for administrators (S26)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render

from accounts import audit
from accounts.models import AuditCode
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
    with transaction.atomic():
        form.save()
        if form.changed_data:
            audit.record(
                AuditCode.SETTINGS_CHANGED,
                actor=request.user,
                target="settings",
                detail=audit.changes(form),
                client_address=audit.address_of(request),
            )
    messages.success(request, "Settings saved.")
    return redirect("panel:settings")
