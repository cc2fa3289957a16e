"""What every portal page shows of the help desk: its name and logo."""

from __future__ import annotations

from django.http import HttpRequest

from tickets.models import HelpdeskSettings


def portal(request: HttpRequest) -> dict[str, object]:
    # The sign-in page offers registration when it is on.
    if not request.path.startswith(("/portal/", "/kb/", "/login/")):
        return {}
    return {"desk": HelpdeskSettings.load()}
