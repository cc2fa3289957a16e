"""The notification list, marking read, and a person's notification settings (S41)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from notifications import api
from panel.auth import StaffRequest, staff_required
from panel.notification_forms import NotificationSettingsForm


@staff_required
def notification_list(request: StaffRequest) -> HttpResponse:
    context = {
        "notifications": api.recent(request.user),
        "unread": api.unread_count(request.user),
    }
    return render(request, "panel/notifications.html", context)


@staff_required
def bell(request: StaffRequest) -> HttpResponse:
    """The toolbar's bell alone, for its refresh (htmx)."""
    return render(request, "panel/_notification_bell.html")


@require_POST
@staff_required
def mark_read(request: StaffRequest, pk: int) -> HttpResponse:
    if api.mark_read(user=request.user, pk=pk) is None:
        raise Http404
    return redirect("panel:notifications")


@require_POST
@staff_required
def open_notification(request: StaffRequest, pk: int) -> HttpResponse:
    """Read, and on to its ticket (whose page says so if it is no longer theirs to see)."""
    notification = api.mark_read(user=request.user, pk=pk)
    if notification is None:
        raise Http404
    if notification.ticket_id is None:
        return redirect("panel:notifications")
    return redirect("panel:ticket", number=notification.ticket_id)


@require_POST
@staff_required
def mark_all_read(request: StaffRequest) -> HttpResponse:
    if api.mark_all_read(user=request.user):
        messages.success(request, _("All notifications are marked as read."))
    return redirect("panel:notifications")


@require_POST
@staff_required
def save_settings(request: StaffRequest) -> HttpResponse:
    form = NotificationSettingsForm(request.POST)
    if form.is_valid():
        api.save_preferences(
            user=request.user,
            panel_kinds=form.cleaned_data["panel_kinds"],
            mail_kinds=form.cleaned_data["mail_kinds"],
        )
        messages.success(request, _("Your notification settings are saved."))
    else:
        messages.error(request, _("These notification settings are not offered."))
    return redirect("panel:profile")
