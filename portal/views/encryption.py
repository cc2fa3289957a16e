"""The help desk's public PGP key (S35): a page anybody may read, and the .asc file."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from crypto import keys


@require_GET
def key_page(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/encryption_key.html", {"key": keys.current()})


@require_GET
def key_file(request: HttpRequest) -> HttpResponse:
    key = keys.current()
    if key is None:
        raise Http404("No encryption key is published.")
    response = HttpResponse(key.public_key + "\n", content_type="application/pgp-keys")
    response["Content-Disposition"] = f'attachment; filename="{key.fingerprint.upper()}.asc"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response
