"""The sign-in forms of /login/ and /admin/login/, with failures limited.

Every guess costs a password hash, so failures are limited per e-mail address
typed (any case) and per client address (accounts/throttle.py), counted before
the hash is computed and shared by every web process.
"""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError

from accounts import throttle
from accounts.throttle import Limit, Throttled, client_address


def account_limit() -> Limit:
    return Limit("sign-in-account", settings.SIGN_IN_FAILURES, settings.SIGN_IN_WINDOW)


def address_limit() -> Limit:
    return Limit("sign-in-address", settings.SIGN_IN_ADDRESS_FAILURES, settings.SIGN_IN_WINDOW)


_REFUSALS = {
    "sign-in-account": "Too many failed sign-ins with this e-mail address.",
    "sign-in-address": "Too many failed sign-ins from your network.",
}


def when(seconds: int) -> str:
    minutes = math.ceil(seconds / 60)
    return "in a minute" if minutes <= 1 else f"in {minutes} minutes"


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
            raise ValidationError(
                f"{_REFUSALS[refusal.limit.name]} Try again {when(refusal.retry_after)}.",
                code="throttled",
            ) from None
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
