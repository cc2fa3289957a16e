"""The portal's first page and the help desk's logo."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.auth import CustomerRequest, customer_required
from portal.lists import ticket_list
from tickets.models import HelpdeskSettings

LOGO_TYPES = {
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
}


@require_GET
@customer_required
def home(request: CustomerRequest) -> HttpResponse:
    """My tickets (S33): waiting for support, answered, closed; sorted, paged, searched."""
    return render(request, "portal/home.html", ticket_list(request))


@require_GET
def logo(request: HttpRequest) -> FileResponse:
    """The logo from the settings; an SVG shown as an image runs nothing, and opened
    on its own it is sandboxed."""
    stored = HelpdeskSettings.load().portal_logo
    if not stored:
        raise Http404("No logo.")
    suffix = "." + stored.name.rsplit(".", 1)[-1].lower() if "." in stored.name else ""
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404("The logo file is missing.") from None
    response = FileResponse(handle, content_type=LOGO_TYPES.get(suffix, "application/octet-stream"))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    return response
