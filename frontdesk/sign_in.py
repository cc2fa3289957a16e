"""The sign-in forms of /login/ and /admin/login/, with failures limited.

Every guess costs a password hash, so failures are limited per e-mail address
typed (any case) and per client address (accounts/throttle.py), counted before
the hash is computed and shared by every web process. The second step's code
(frontdesk/second_step.py) is limited the same way, per account and per client
address; signing in with the password does not forgive wrong codes, or knowing
the password would buy endless guesses.
"""

from __future__ import annotations

import math
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts import audit, throttle, two_factor
from accounts.models import AuditCode, User
from accounts.throttle import Limit, Throttled, client_address


def account_limit() -> Limit:
    return Limit("sign-in-account", settings.SIGN_IN_FAILURES, settings.SIGN_IN_WINDOW)


def address_limit() -> Limit:
    return Limit("sign-in-address", settings.SIGN_IN_ADDRESS_FAILURES, settings.SIGN_IN_WINDOW)


def second_step_limit() -> Limit:
    return Limit("second-step-account", settings.SIGN_IN_FAILURES, settings.SIGN_IN_WINDOW)


_REFUSALS = {
    "sign-in-account": gettext_lazy("Too many failed sign-ins with this e-mail address."),
    "sign-in-address": gettext_lazy("Too many failed sign-ins from your network."),
    "second-step-account": gettext_lazy("Too many wrong codes for this account."),
}


def when(seconds: int) -> str:
    """ "in 5 minutes", to follow "Try again"."""
    minutes = math.ceil(seconds / 60)
    if minutes <= 1:
        return _("in a minute")
    return ngettext("in %(count)d minute", "in %(count)d minutes", minutes) % {"count": minutes}


def refusal_text(refusal: Throttled) -> str:
    # Translators: "Try again in 5 minutes." after why the sign-in was refused.
    return _("%(refusal)s Try again %(when)s.") % {
        "refusal": _REFUSALS[refusal.limit.name],
        "when": when(refusal.retry_after),
    }


class ThrottledSignIn(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        email = (self.cleaned_data.get("username") or "").strip().lower()
        if not email or not self.cleaned_data.get("password"):
            # Django checks nothing without both, so nothing is hashed or counted.
            return super().clean()
        address = client_address(self.request) if self.request is not None else "unknown"
        taken: list[throttle.Attempt] = []
        try:
            taken.append(throttle.attempt(account_limit(), email))
            taken.append(throttle.attempt(address_limit(), address))
        except Throttled as refusal:
            for each in taken:
                throttle.release(each)
            raise ValidationError(refusal_text(refusal), code="throttled") from None
        try:
            cleaned = super().clean()
        except ValidationError:
            for each in taken:
                throttle.failed(each)
            raise
        # The owner got in: their typos are forgiven, other failures from the address are not.
        throttle.reset(account_limit(), email)
        throttle.release(taken[1])
        return cleaned


class SignInForm(ThrottledSignIn):
    def clean_username(self) -> str:
        # Addresses are stored in lower case; people type them as they like.
        return self.cleaned_data["username"].strip().lower()


class AdminSignInForm(ThrottledSignIn, AdminAuthenticationForm):
    """The admin site's sign-in (administrators only), under the same limits."""


class SecondStepForm(forms.Form):
    """The code of an authenticator app, or a recovery code, after the password."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=40,
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "none",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )

    def __init__(self, *args: Any, user: User, request: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.user, self.request = user, request
        self.device: Any = None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        code = cleaned.get("code")
        if not code:
            return cleaned
        address = client_address(self.request)
        taken: list[throttle.Attempt] = []
        try:
            taken.append(throttle.attempt(second_step_limit(), str(self.user.pk)))
            taken.append(throttle.attempt(address_limit(), address))
        except Throttled as refusal:
            for each in taken:
                throttle.release(each)
            raise ValidationError(refusal_text(refusal), code="throttled") from None
        self.device = two_factor.verify(self.user, code)
        if self.device is None:
            for each in taken:
                throttle.failed(each)
            audit.record(
                AuditCode.SECOND_STEP_FAILED,
                actor=None,
                person=self.user,
                detail="wrong authenticator or recovery code",
                client_address=audit.address_of(self.request),
            )
            raise ValidationError(
                {"code": _("This code is not right. Type the code your app shows now.")}
            )
        throttle.reset(second_step_limit(), str(self.user.pk))
        throttle.release(taken[1])
        return cleaned
