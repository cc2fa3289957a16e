"""Whole addresses of Frontdesk's pages, for links in mail.

A mail has no request to take the host from, and a request's Host header is
whatever the client wrote: a reset link built from it could send the secret to
someone else's server. Links start with ``FRONTDESK_URL``, read at call time.
"""

from __future__ import annotations

from django.conf import settings


def absolute(path: str) -> str:
    """``path`` (as ``reverse`` gives it, starting with a slash) under ``FRONTDESK_URL``."""
    return settings.FRONTDESK_URL.rstrip("/") + "/" + path.lstrip("/")
