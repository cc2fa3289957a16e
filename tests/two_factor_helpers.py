"""Codes as an authenticator app makes them, and pages posted as they are rendered."""

from __future__ import annotations

import re
from base64 import b32decode
from datetime import timedelta
from html import unescape

from django.test import Client
from django_otp.oath import totp

from accounts import two_factor
from accounts.models import User
from tests.panel.helpers import rendered_form

#: A TOTP code is good once; the next one comes with the next step of 30 seconds.
STEP = timedelta(seconds=30)
#: Everybody's password in tests/conftest.py.
PASSWORD = "secret"


def code_now(secret: str) -> str:
    """The six digits an app shows now for this secret (base32, as the page shows it)."""
    return f"{totp(b32decode(secret.replace(' ', '')), step=30, digits=6):06d}"


def turn_on(user: User) -> tuple[str, list[str]]:
    """Set up two-factor sign-in through the real functions: the secret and the recovery codes."""
    app = two_factor.start_set_up(user=user)
    codes = two_factor.confirm_set_up(user=user, code=code_now(app.secret))
    return app.secret, codes


def secret_on(page: str) -> str:
    found = re.search(r'<code id="two-factor-secret"[^>]*>([^<]+)</code>', page)
    assert found, "the set-up page shows no secret"
    return unescape(found.group(1))


def recovery_codes_on(page: str) -> list[str]:
    listed = re.search(r'<ol class="recovery-codes" id="recovery-codes">(.*?)</ol>', page, re.S)
    assert listed, "the page shows no recovery codes"
    return re.findall(r"<code>([^<]+)</code>", listed.group(1))


def sign_in(client: Client, email: str, password: str = PASSWORD, *, path: str = "/login/"):
    """The sign-in form as the page renders it, with the address and password typed."""
    page = client.get(path).content.decode()
    form = rendered_form(page, "sign-in-form" if path.startswith("/login/") else "login-form")
    return client.post(path, {**form, "username": email, "password": password})


def type_code(client: Client, code: str):
    page = client.get("/login/code/").content.decode()
    return client.post("/login/code/", {**rendered_form(page, "sign-in-code-form"), "code": code})


def signed_in_as(client: Client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id is not None else None
