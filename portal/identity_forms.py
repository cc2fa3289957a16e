"""Forms of the portal's identity pages: password reset, registration, a fresh link.

Each of them makes Frontdesk send a mail to an address anybody may type, so
each request counts against two limits of accounts/throttle.py, the address
typed (any case) and the client address, shared by the three forms: one
mailbox gets at most ``PORTAL_MAIL_REQUESTS`` such mails per
``PORTAL_MAIL_WINDOW``, however they are asked for. Every request counts, the
address known or not, so the limit says nothing about who has an account.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import throttle
from accounts.models import User
from accounts.throttle import Limit, Throttled, client_address
from frontdesk.sign_in import when
from frontdesk.text import without_controls


def mailbox_limit() -> Limit:
    return Limit("portal-mail-mailbox", settings.PORTAL_MAIL_REQUESTS, settings.PORTAL_MAIL_WINDOW)


def client_limit() -> Limit:
    return Limit(
        "portal-mail-client", settings.PORTAL_MAIL_ADDRESS_REQUESTS, settings.PORTAL_MAIL_WINDOW
    )


_REFUSALS = {
    "portal-mail-mailbox": gettext_lazy("We have sent several mails to this address lately."),
    "portal-mail-client": gettext_lazy("Too many requests from your network."),
}


def count_mail_request(request: HttpRequest, email: str) -> None:
    """Count one request for a mail to ``email``, or refuse it with the wait."""
    taken: list[throttle.Attempt] = []
    try:
        taken.append(throttle.attempt(mailbox_limit(), email.strip().lower()))
        taken.append(throttle.attempt(client_limit(), client_address(request)))
    except Throttled as refusal:
        for each in taken:
            throttle.release(each)
        raise ValidationError(
            # Translators: "Try again in 5 minutes." after why the request was refused.
            _("%(refusal)s Try again %(when)s.")
            % {"refusal": _REFUSALS[refusal.limit.name], "when": when(refusal.retry_after)},
            code="throttled",
        ) from None
    for each in taken:
        # Kept, as a failure is: the last request allowed starts the cooldown.
        throttle.failed(each)


class IdentityForm(forms.Form):
    def __init__(self, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Only a request that would send mail counts; a typo costs nothing.
        if not self.errors and cleaned.get("email"):
            count_mail_request(self.request, cleaned["email"])
        return cleaned


class LowerCaseEmailField(forms.EmailField):
    def clean(self, value: Any) -> str:
        # Addresses are stored in lower case; people type them as they like.
        return str(super().clean(value)).lower()


def email_field() -> forms.EmailField:
    return LowerCaseEmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class ResetRequestForm(IdentityForm):
    """The address to mail a reset link to; the worker finds who signs in with it."""

    email = email_field()


class FreshLinkForm(IdentityForm):
    email = email_field()
    email.help_text = gettext_lazy("The address the link was sent to.")


class RegistrationForm(IdentityForm):
    email = email_field()
    full_name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    password = forms.CharField(
        label=gettext_lazy("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean_full_name(self) -> str:
        return without_controls(self.cleaned_data["full_name"]).strip()

    def clean(self) -> dict[str, Any]:
        data = self.cleaned_data
        password = data.get("password")
        if password:
            # Django's validators, as for any password; alike for an address that has
            # an account and one that has none.
            candidate = User(email=data.get("email", ""), full_name=data.get("full_name", ""))
            try:
                validate_password(password, candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return super().clean()
