"""The 403, 404 and 500 pages, in the look of the part of the site they answer for,
and a routine refusal logged as one line.

Each page is rendered without the request's context processors: they would read
the session and the signed-in person from the database, and the 500 page must
render when the database is what failed.
"""

from __future__ import annotations

import logging

from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.utils.translation import get_language

#: Pages under these prefixes belong to staff and get the panel's look.
STAFF_PREFIXES = ("/panel/", "/admin/")


def _page(request: HttpRequest, template: str, status: int, **context: object) -> HttpResponse:
    look = "panel" if request.path.startswith(STAFF_PREFIXES) else "portal"
    content = loader.render_to_string(
        template, {"look": look, "LANGUAGE_CODE": get_language(), **context}
    )
    return HttpResponse(content, status=status)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    # The reason a guard gives ("The agent panel is for support staff.") is meant for
    # the person refused; without one they still learn it is a refusal.
    given = exception.args[0] if exception is not None and exception.args else ""
    reason = given if isinstance(given, str) else ""
    return _page(request, "errors/403.html", 403, reason=reason)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    # Never the exception's text: a ticket one may not see and one that does not
    # exist must look the same.
    return _page(request, "errors/404.html", 404)


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, "errors/500.html", 500)


class OneLineRefusals(logging.Filter):
    """A 403 or 404 is routine (a customer opening the panel, an old link): one line
    with its reason, not a traceback that buries the real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404) and record.exc_info:
            error = record.exc_info[1]
            # A resolver's 404 carries every pattern it tried: that is no reason.
            given = error.args[0] if error is not None and error.args else ""
            reason = given if isinstance(given, str) else ""
            line = record.getMessage()
            record.msg = f"{line} ({reason})" if reason else line
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        return True
