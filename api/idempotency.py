"""Idempotency-Key: a retried create or reply answers as the first one did.

The key, the token and the first answer are stored in the transaction of the
change itself, so either both commit or neither does. Two requests racing
with one key: the second's row collides with the first's on the unique
(token, key) once the first commits, its own change rolls back, and it answers
with the first's stored answer.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from api.auth import Caller
from api.errors import Mismatch
from api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY = 255

Answer = tuple[int, dict[str, Any]]


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(request.body)
    return digest.hexdigest()


def _stored(caller: Caller, key: str, fingerprint: str) -> Answer | None:
    found = IdempotentRequest.objects.filter(token=caller.token, key=key).first()
    if found is None:
        return None
    if found.fingerprint != fingerprint:
        raise Mismatch(f"This {HEADER} was used for another request.")
    return found.status, found.body


def once(request: HttpRequest, caller: Caller, run: Callable[[], Answer]) -> Answer:
    """``run()``, unless this token sent this key before: then the first answer."""
    key = request.headers.get(HEADER, "")
    if not key:
        return run()
    if len(key) > MAX_KEY or not key.isprintable():
        raise Mismatch(f"An {HEADER} is at most {MAX_KEY} printable characters.")
    fingerprint = _fingerprint(request)
    try:
        with transaction.atomic():
            answer = _stored(caller, key, fingerprint)
            if answer is not None:
                return answer
            status, content = run()
            IdempotentRequest.objects.create(
                token=caller.token, key=key, fingerprint=fingerprint, status=status, body=content
            )
            return status, content
    except IntegrityError:
        answer = _stored(caller, key, fingerprint)
        if answer is None:
            raise
        return answer
