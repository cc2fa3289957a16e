"""Who else has a ticket open, and who is typing an answer (S42).

Each open ticket page reports every ~10 seconds; the report lives in the cache
(Redis in production) under one key per ticket for a short while, so a poll
writes nothing to the database and a closed tab drops out by itself. Two polls
at the same moment may each keep the other's report out of the key: the next
poll, a few seconds later, puts it back, which is all a hint like this needs.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

#: A page that stopped reporting for longer is gone (a few missed polls are not).
GONE_AFTER = 25


@dataclass(frozen=True)
class Present:
    user_id: int
    name: str
    typing: bool


def _key(number: int) -> str:
    return f"presence:ticket:{number}"


def _seen(entry: dict[str, object]) -> float:
    seen = entry.get("seen")
    return float(seen) if isinstance(seen, (int, float)) else 0.0


def report(*, number: int, user_id: int, name: str, typing: bool) -> list[Present]:
    """Record that the person has ticket ``number`` open; return the others there."""
    now = timezone.now().timestamp()
    entries: dict[str, dict[str, object]] = cache.get(_key(number)) or {}
    alive = {key: entry for key, entry in entries.items() if now - _seen(entry) < GONE_AFTER}
    alive[str(user_id)] = {"name": name, "seen": now, "typing": typing}
    cache.set(_key(number), alive, timeout=GONE_AFTER)
    return [
        Present(user_id=int(key), name=str(entry["name"]), typing=bool(entry["typing"]))
        for key, entry in sorted(alive.items(), key=lambda item: str(item[1]["name"]))
        if key != str(user_id)
    ]
