"""Secrets of the portal's links: random values mailed out, stored only as an HMAC.

A token is 32 random bytes (256 bits, URL-safe base64): guessing one is hopeless,
so it needs no throttle of its own. The database keeps HMAC-SHA256 of it under
SECRET_KEY with a salt per purpose, so a stolen copy of the database opens
nothing, a token of one purpose is nothing in another, and changing SECRET_KEY
ends every open link (as it ends sessions).
"""

from __future__ import annotations

import re
import secrets

from django.utils.crypto import salted_hmac

LINK = "frontdesk.portal.link"
REGISTRATION = "frontdesk.portal.registration"

_TOKEN = re.compile(r"[A-Za-z0-9_-]{40,64}")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def is_well_formed(token: str) -> bool:
    """Could it be a token of ours? Anything else is looked up nowhere."""
    return _TOKEN.fullmatch(token) is not None


def digest(token: str, purpose: str) -> str:
    """The stored form of ``token``."""
    return salted_hmac(purpose, token, algorithm="sha256").hexdigest()
