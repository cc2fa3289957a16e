"""Registering for the portal and verifying the address (portal/registration.py)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from accounts import audit
from portal import registration, tasks
from portal.identity_forms import RegistrationForm


def _open_or_404() -> None:
    if not registration.is_open():
        raise Http404("Registration is off.")


@require_http_methods(["GET", "POST"])
def register(request: HttpRequest) -> HttpResponse:
    _open_or_404()
    form = RegistrationForm(request.POST or None, request=request)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, "portal/register.html", {"form": form}, status=status)
    data = form.cleaned_data
    pending = registration.start(
        email=data["email"],
        full_name=data["full_name"],
        password=data["password"],
        language=translation.get_language(),
    )
    transaction.on_commit(lambda: tasks.mail_registration(pending.pk), robust=True)
    # Alike for an address with an account and one without: the mail tells them apart.
    return render(request, "portal/register_sent.html", {"email": data["email"]})


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a button (mail scanners follow links); POST verifies and signs in."""
    _open_or_404()
    pending = registration.find(token)
    if pending is None:
        return render(request, "portal/register_refused.html", {"reason": "invalid"}, status=410)
    if request.method == "GET":
        return render(request, "portal/register_verify.html", {"pending": pending})
    try:
        user = registration.complete(registration=pending, client_address=audit.address_of(request))
    except registration.RegistrationRefused as refused:
        reason = refused.refusal.value
        return render(request, "portal/register_refused.html", {"reason": reason}, status=410)
    # For the audit log's sign-in entry (accounts/audit.py).
    user.signed_in_with = "address verification link"  # type: ignore[attr-defined]
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    messages.success(request, _("Your address is verified. Welcome!"))
    return redirect("portal:home")
