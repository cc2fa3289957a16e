"""Webhook settings, read at call time so tests and admins can change them.

frontdesk/settings.py reads each from the environment, with its default.
"""

from __future__ import annotations

from django.conf import settings


def _number(name: str) -> float:
    return float(getattr(settings, name))


def max_attempts() -> int:
    """Tries before a delivery is marked failed and waits for an administrator."""
    return int(_number("WEBHOOK_MAX_ATTEMPTS"))


def backoff() -> float:
    """Seconds before the first retry; each further retry waits twice as long."""
    return _number("WEBHOOK_BACKOFF")


def backoff_cap() -> float:
    return _number("WEBHOOK_BACKOFF_CAP")


def lease() -> float:
    """How long a sender holds a claimed delivery; a crashed sender's is due after it.

    Longer than the whole time one attempt may take (``total_timeout``)."""
    return max(_number("WEBHOOK_LEASE"), total_timeout() + 5)


def connect_timeout() -> float:
    return _number("WEBHOOK_CONNECT_TIMEOUT")


def read_timeout() -> float:
    """The longest wait for the next bytes of the response."""
    return _number("WEBHOOK_READ_TIMEOUT")


def total_timeout() -> float:
    """The longest one attempt may take from connecting to the last byte read."""
    return _number("WEBHOOK_TOTAL_TIMEOUT")
