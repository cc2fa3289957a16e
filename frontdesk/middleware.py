"""Response headers the project adds beside Django's own."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase
from django.utils.cache import add_never_cache_headers


def no_store_when_signed_in(
    get_response: Callable[[HttpRequest], HttpResponseBase],
) -> Callable[[HttpRequest], HttpResponseBase]:
    """Nothing a signed-in person is shown stays in a cache: not in a shared proxy,
    and not in the browser, where the back button would show it after signing out."""

    def middleware(request: HttpRequest) -> HttpResponseBase:
        response = get_response(request)
        # An error page is never cached either; and asking who is signed in may
        # be what failed (the database unreachable): a second try would only
        # make the person wait for the same failure again.
        if response.status_code >= 500 or request.user.is_authenticated:
            add_never_cache_headers(response)
        return response

    return middleware
