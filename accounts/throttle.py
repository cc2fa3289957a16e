"""Limits on attempts per key (an e-mail address, a client address, later a token).

Sign-in uses it now; password reset and the API are meant to use it the same
way: ``attempt`` before the costly check, ``failed`` or ``release`` after it.

The counts live in Django's cache, which every web process shares (Redis, or
the database table the settings name). Each attempt takes one of the key's
``attempts`` slots with ``cache.add``, which is atomic on those back ends, so
concurrent requests cannot all read "4 of 5" and all go ahead: the attempt is
counted before the password is hashed, and given back when it succeeds.
Slots and cooldowns hold their end time as their value and are checked against
it, so the back end's own expiry only collects garbage.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Limit:
    """At most ``attempts`` failures per ``window`` seconds; the last one allowed
    starts a cooldown of ``window`` seconds."""

    name: str
    attempts: int
    window: int

    def __post_init__(self) -> None:
        # Zero would refuse everybody: a typo, not a policy.
        if self.attempts < 1 or self.window < 1:
            raise ValueError(f"{self.name}: attempts and window must be at least 1")


@dataclass(frozen=True)
class Attempt:
    limit: Limit
    key: str
    slot: str


class Throttled(Exception):
    def __init__(self, limit: Limit, retry_after: int) -> None:
        super().__init__(f"{limit.name}: try again in {retry_after} s")
        self.limit = limit
        self.retry_after = retry_after


def attempt(limit: Limit, key: str) -> Attempt:
    """Take one of ``key``'s attempts, or raise ``Throttled`` with the seconds to wait."""
    now = time.time()
    cooldown, slots = _cooldown_key(limit, key), _slot_keys(limit, key)
    stored = cache.get_many([cooldown, *slots])
    if stored.get(cooldown, 0) > now:
        raise Throttled(limit, _seconds(stored[cooldown] - now))
    for slot in slots:
        if stored.get(slot, 0) > now:
            continue
        if slot in stored:
            # Ended but not yet collected by the back end: free it first.
            cache.delete(slot)
        if cache.add(slot, now + limit.window, timeout=limit.window + 1):
            return Attempt(limit=limit, key=key, slot=slot)
    # Every slot is taken by attempts in progress (their outcome decides).
    live = [stored[slot] for slot in slots if stored.get(slot, 0) > now]
    raise Throttled(limit, _seconds(min(live, default=now + 1) - now))


def failed(attempt: Attempt) -> None:
    """The attempt failed: it stays counted; the last one allowed starts the cooldown."""
    now = time.time()
    stored = cache.get_many(_slot_keys(attempt.limit, attempt.key))
    counted = sum(1 for end in stored.values() if end > now)
    if counted >= attempt.limit.attempts:
        cache.set(
            _cooldown_key(attempt.limit, attempt.key),
            now + attempt.limit.window,
            timeout=attempt.limit.window + 1,
        )
        logger.warning("%s: %d failures, cooldown started", attempt.limit.name, counted)


def release(attempt: Attempt) -> None:
    """Give the attempt back: it succeeded, or was never made."""
    cache.delete(attempt.slot)


def reset(limit: Limit, key: str) -> None:
    """Forget every attempt of ``key`` and its cooldown."""
    cache.delete_many([_cooldown_key(limit, key), *_slot_keys(limit, key)])


def wait_for(limit: Limit, key: str) -> int:
    """Seconds until ``key`` may try again; 0 when it may now."""
    now = time.time()
    cooldown, slots = _cooldown_key(limit, key), _slot_keys(limit, key)
    stored = cache.get_many([cooldown, *slots])
    if stored.get(cooldown, 0) > now:
        return _seconds(stored[cooldown] - now)
    live = [end for slot in slots if (end := stored.get(slot, 0)) > now]
    return _seconds(min(live) - now) if len(live) >= limit.attempts else 0


def client_address(request: HttpRequest) -> str:
    """Who is trying, as far as the server can tell: ``client_ip``, but IPv6
    addresses count by their /64 network, which one subscriber usually has whole."""
    address = client_ip(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if isinstance(parsed, ipaddress.IPv6Address):
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return address


def client_ip(request: HttpRequest) -> str:
    """The client's address (the audit log keeps it whole).

    The connection's address, unless ``TRUSTED_PROXY_COUNT`` proxies of ours
    stand in front: each appends the address it saw to X-Forwarded-For, so the
    client is that many entries from the right; anything further left is what
    the client wrote.
    """
    address = request.META.get("REMOTE_ADDR") or ""
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if proxies > 0 and len(forwarded) >= proxies:
        address = forwarded[-proxies]
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        return str(parsed.ipv4_mapped)
    return str(parsed)


def _seconds(delta: float) -> int:
    return max(1, math.ceil(delta))


def _digest(key: str) -> str:
    # Cache keys must be short and plain; the key may be anything a client typed.
    return hashlib.sha256(key.encode()).hexdigest()[:40]


def _slot_keys(limit: Limit, key: str) -> list[str]:
    digest = _digest(key)
    return [f"throttle:{limit.name}:{digest}:{index}" for index in range(limit.attempts)]


def _cooldown_key(limit: Limit, key: str) -> str:
    return f"throttle:{limit.name}:{_digest(key)}:cooldown"
