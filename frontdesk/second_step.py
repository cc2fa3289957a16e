"""The second step of signing in, and the gate that holds every session to it (S47).

Staff with two-factor sign-in are not signed in by their password: the
password step (``SignInView``, for /login/ and /admin/login/) keeps only who
passed it in the session, for ``PENDING_SECONDS``, and ``code`` signs them in
once they type the code of their app or a recovery code. Until then the session
is anonymous everywhere, in the panel, the admin and any page to come.

``SecondStepGate`` covers the rest: a session signed in without the second
step (from before the person set it up, or by any other way in) is signed out,
and staff whose role requires two-factor sign-in but who have none set up
reach nothing but its set-up page (and signing out) until they set it up.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.views import LoginView, redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect
from django_otp.plugins.otp_static.models import StaticDevice

from accounts import two_factor
from accounts.models import User
from frontdesk.sign_in import SecondStepForm

PENDING = "frontdesk_second_step"
PENDING_SECONDS = 10 * 60

#: Views a session owing its second step may still use.
SIGNING_IN = frozenset({"login", "logout", "sign_in_code"})
SETTING_UP = "panel:two_factor_set_up"


@dataclass(frozen=True)
class Pending:
    user: User
    backend: str
    next_url: str


def begin(request: HttpRequest, user: User, next_url: str) -> None:
    """The password was right: remember who, for the second step only."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", ""),
        # A password changed meanwhile ends the half-done sign-in, as it ends sessions.
        "hash": user.get_session_auth_hash(),
        "next": next_url,
        "since": int(time.time()),
    }


def pending(request: HttpRequest) -> Pending | None:
    """Who passed the password step in this session, if they did so lately."""
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or not isinstance(data.get("user"), int):
        return None
    user = User.objects.filter(pk=data["user"], is_active=True).first()
    fresh = time.time() - data.get("since", 0) <= PENDING_SECONDS
    if (
        user is None
        or not fresh
        or not constant_time_compare(data.get("hash", ""), user.get_session_auth_hash())
    ):
        del request.session[PENDING]
        return None
    return Pending(user=user, backend=data.get("backend", ""), next_url=data.get("next", "/"))


class SignInView(LoginView):
    """Django's sign-in; people with two-factor sign-in go on to the second step."""

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.get_user()
        if not two_factor.has_two_factor(user):
            return super().form_valid(form)
        begin(self.request, user, self.get_success_url())
        return HttpResponseRedirect(reverse("sign_in_code"))


def code(request: HttpRequest) -> HttpResponse:
    """The second step: the code of the authenticator app, or a recovery code."""
    state = pending(request)
    if state is None:
        messages.info(request, _("Sign in with your e-mail address and password first."))
        return redirect("login")
    form = SecondStepForm(request.POST or None, user=state.user, request=request)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return render(request, "registration/sign_in_code.html", {"form": form}, status=status)
    del request.session[PENDING]
    user: Any = state.user
    # django-otp's user_logged_in receiver keeps the device in the session.
    user.otp_device = form.device
    login(request, user, backend=state.backend or None)
    if isinstance(form.device, StaticDevice):
        left = two_factor.recovery_codes_left(user)
        messages.warning(
            request,
            f"You signed in with a recovery code; {left} are left. Make new ones under My Profile.",
        )
    return HttpResponseRedirect(state.next_url)


class SecondStepGate:
    """Holds signed-in sessions to the second step; see the module's docstring."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or getattr(user, "otp_device", None) is not None:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        person: Any = user
        if two_factor.has_two_factor(person):
            # Signed in by the password alone: only the second step lets in.
            logout(request)
            messages.info(request, _("Sign in again: your account signs in with two factors."))
            if view_name in SIGNING_IN:
                return None
            return _to(request, redirect_to_login(request.get_full_path()).url)
        if view_name in (SETTING_UP, "logout") or not two_factor.is_required(person):
            return None
        messages.info(
            request,
            "Your role signs in with two factors: set up your authenticator app to go on.",
        )
        return _to(request, reverse(SETTING_UP))


def _to(request: HttpRequest, url: str) -> HttpResponse:
    if request.headers.get("HX-Request") == "true":
        # A page swapped into a page part would land inside the panel.
        return HttpResponseClientRedirect(url)
    return HttpResponseRedirect(url)
