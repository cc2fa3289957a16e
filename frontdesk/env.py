"""Strict readers for configuration from environment variables.

Each secret may also come from a file named by ``<NAME>_FILE`` (Docker and
systemd credentials), so it need not sit in the process environment.
"""

import os
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        with open(file_name, encoding="utf-8") as handle:
            return handle.read().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    # Anything but true/false is a typo that would silently pick a default.
    if raw.lower() == "true":
        return True
    if raw.lower() == "false":
        return False
    raise ImproperlyConfigured(f"{name} must be 'true' or 'false', not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    """One of ``choices`` (any case); anything else is refused, never taken as the default."""
    raw = os.environ.get(name, "")
    if raw == "":
        return default
    if raw.lower() in choices:
        return raw.lower()
    allowed = " or ".join(repr(choice) for choice in choices)
    raise ImproperlyConfigured(f"{name} must be {allowed}, not {raw!r}")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_seconds(name: str) -> dict[str, int]:
    """Comma-separated ``name=seconds`` pairs (``mail-fetch=30,escalation=600``); empty: {}."""
    raw = os.environ.get(name, "")
    found = {}
    for item in raw.split(","):
        key, equals, value = (part.strip() for part in item.partition("="))
        if not (key or equals or value):
            continue
        if not key or not value.isdigit() or int(value) == 0:
            raise ImproperlyConfigured(
                f"{name} must be name=seconds pairs separated by commas, "
                f"like mail-fetch=30, not {raw!r}"
            )
        found[key] = int(value)
    return found


def env_proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header a TLS proxy sets to ``https`` (``X-Forwarded-Proto``), in the form of
    Django's SECURE_PROXY_SSL_HEADER; None when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"[A-Za-z0-9]+(-[A-Za-z0-9]+)*", raw):
        raise ImproperlyConfigured(
            f"{name} must be the name of a header, like X-Forwarded-Proto, not {raw!r}"
        )
    return "HTTP_" + raw.upper().replace("-", "_"), "https"


def env_url(name: str, default: str) -> str:
    """An http(s) address without a query or fragment, without its trailing slash."""
    raw = os.environ.get(name, "").strip() or default
    parsed = urlsplit(raw)
    plain = not (parsed.query or parsed.fragment)
    if parsed.scheme not in ("http", "https") or not parsed.netloc or not plain:
        example = "https://support.example.com"
        raise ImproperlyConfigured(f"{name} must be an address like {example}, not {raw!r}")
    return raw.rstrip("/")
