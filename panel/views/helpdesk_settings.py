"""The settings page for administrators (S26)."""

from __future__ import annotations

from functools import partial

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts import audit
from accounts.models import AuditCode
from panel.auth import StaffRequest, admin_required
from panel.forms import SettingsForm
from tickets.models import HelpdeskSettings


@admin_required
def settings_page(request: StaffRequest) -> HttpResponse:
    desk = HelpdeskSettings.load()
    old_logo = desk.portal_logo.name
    form = SettingsForm(request.POST or None, request.FILES or None, instance=desk)
    if request.method != "POST":
        return render(request, "panel/settings.html", {"form": form})
    if not form.is_valid():
        return render(request, "panel/settings.html", {"form": form}, status=422)
    with transaction.atomic():
        saved = form.save()
        if old_logo and saved.portal_logo.name != old_logo:
            # The replaced or removed file goes once the new settings are in.
            transaction.on_commit(partial(default_storage.delete, old_logo), robust=True)
        if form.changed_data:
            audit.record(
                AuditCode.SETTINGS_CHANGED,
                actor=request.user,
                target="settings",
                detail=audit.changes(form),
                client_address=audit.address_of(request),
            )
    messages.success(request, _("Settings saved."))
    return redirect("panel:settings")
