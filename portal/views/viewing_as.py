"""Ending "view as customer" (S34); it is started from the panel (panel/views/view_as.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from portal import view_as


@require_POST
def end(request: HttpRequest) -> HttpResponse:
    """Back to the panel page it was started from; the staff member stays signed in."""
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login("/panel/")
    if not user.is_active or user.staff is None:
        raise PermissionDenied("Only staff view the portal as a customer.")
    ended = view_as.end(request)
    if ended is None:
        return redirect("panel:home")
    messages.success(request, f"You no longer view the portal as {ended.contact.email}.")
    return redirect(ended.return_url)
