"""API tokens (S38): made, checked, limited and revoked here; who a token acts as.

A token is ``fd_`` + an 8-character prefix + ``_`` + a random secret. The row is
found by its prefix and the SHA-256 of the whole token compared in constant
time: a stolen database holds no usable token, and the token is shown once.

``actor_of`` is the one place a token becomes an actor: a personal token its
owner (a ``User``, with their visibility), an integration token an
``accounts.actors.Integration`` scoped to its queues. The API asks here and
never names the system itself (tests/boundaries.py).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import audit
from accounts.actors import Integration, scoped_integration
from accounts.models import ApiToken, AuditCode, Role, TokenKind, User
from frontdesk.text import one_line

if TYPE_CHECKING:
    from tickets.models import Queue

PREFIX = "fd_"
_PREFIX_LENGTH = 8
#: The last-used time is written at most this often: not a write on every request.
LAST_USED_EVERY = timedelta(minutes=1)
NAME_LENGTH = 80

#: Who acts for a request made with a token.
TokenActor = User | Integration


@dataclass(frozen=True)
class Issued:
    """A new token and its secret, which is shown this once."""

    token: ApiToken
    secret: str


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"Too many requests: try again in {retry_after} s.")
        self.retry_after = retry_after


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _new_secret() -> tuple[str, str]:
    prefix = secrets.token_hex(_PREFIX_LENGTH // 2)
    return prefix, f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"


def _check_name(name: str) -> str:
    name = one_line(name).strip()
    if not name:
        raise ValidationError({"name": "A token needs a name."})
    if len(name) > NAME_LENGTH:
        raise ValidationError({"name": f"A name has at most {NAME_LENGTH} characters."})
    return name


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must lie in the future."})


def _is_admin(user: User) -> bool:
    return user.is_active and user.staff is not None and user.staff.role == Role.ADMIN


@transaction.atomic
def create_personal(
    *, actor: User, name: str, expires_at: datetime | None = None, client_address: str = ""
) -> Issued:
    """A token of the actor's own: it acts as them, seeing what they see."""
    if not actor.is_active or actor.staff is None:
        raise PermissionDenied("Only support staff have API tokens.")
    name = _check_name(name)
    _check_expiry(expires_at)
    prefix, secret = _new_secret()
    token = ApiToken.objects.create(
        kind=TokenKind.PERSONAL,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        owner=actor,
        created_by=actor,
        expires_at=expires_at,
    )
    audit.record(
        AuditCode.API_TOKEN_CREATED,
        actor=actor,
        target=f"personal token “{name}”",
        client_address=client_address,
    )
    return Issued(token, secret)


@transaction.atomic
def create_integration(
    *,
    actor: User,
    name: str,
    queues: Iterable[Queue],
    can_write: bool,
    expires_at: datetime | None = None,
    client_address: str = "",
) -> Issued:
    """An integration's token (administrators): it acts as ``integration:<name>`` on
    the tickets of ``queues``, changing them only with ``can_write``."""
    if not _is_admin(actor):
        raise PermissionDenied("Only administrators make integration tokens.")
    name = _check_name(name)
    # The name becomes the system's code on every event it writes.
    if ":" in name:
        raise ValidationError({"name": "An integration's name cannot hold a colon."})
    queue_list = list(queues)
    if not queue_list:
        raise ValidationError({"queues": "Choose at least one queue."})
    _check_expiry(expires_at)
    prefix, secret = _new_secret()
    token = ApiToken.objects.create(
        kind=TokenKind.INTEGRATION,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        created_by=actor,
        can_write=can_write,
        expires_at=expires_at,
    )
    token.queues.set(queue_list)
    audit.record(
        AuditCode.API_TOKEN_CREATED,
        actor=actor,
        target=f"integration token “{name}”",
        detail=f"{'read and write' if can_write else 'read only'}: "
        + ", ".join(str(queue) for queue in queue_list),
        client_address=client_address,
    )
    return Issued(token, secret)


def may_revoke(user: User, token: ApiToken) -> bool:
    if token.kind == TokenKind.PERSONAL:
        return token.owner_id == user.pk or _is_admin(user)
    return _is_admin(user)


@transaction.atomic
def revoke(*, actor: User, token: ApiToken, client_address: str = "") -> ApiToken:
    if not may_revoke(actor, token):
        raise PermissionDenied("You may not revoke this token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            AuditCode.API_TOKEN_REVOKED,
            actor=actor,
            target=f"{token.get_kind_display().lower()} token “{token.name}”",
            client_address=client_address,
        )
    return token


def personal_tokens(user: User) -> list[ApiToken]:
    return list(ApiToken.objects.filter(kind=TokenKind.PERSONAL, owner=user))


def integration_tokens() -> list[ApiToken]:
    return list(ApiToken.objects.filter(kind=TokenKind.INTEGRATION).prefetch_related("queues"))


def token_by_id(pk: int) -> ApiToken | None:
    return ApiToken.objects.filter(pk=pk).first()


def authenticate(raw: str) -> ApiToken | None:
    """The live token of ``raw``: known, not revoked, not expired, of an active owner."""
    if not raw.startswith(PREFIX) or len(raw) > 200:
        return None
    prefix, _, rest = raw[len(PREFIX) :].partition("_")
    if len(prefix) != _PREFIX_LENGTH or not rest:
        return None
    token = ApiToken.objects.select_related("owner").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(raw)):
        return None
    now = timezone.now()
    if token.revoked_at is not None or (token.expires_at is not None and token.expires_at <= now):
        return None
    if token.owner is not None and (not token.owner.is_active or token.owner.staff is None):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def actor_of(token: ApiToken) -> TokenActor:
    """Who acts for the token: its owner, or its integration scoped to its queues."""
    if token.kind == TokenKind.PERSONAL:
        assert token.owner is not None  # a constraint of the table
        return token.owner
    queue_ids = frozenset(token.queues.values_list("pk", flat=True))
    return scoped_integration(token.name, queue_ids=queue_ids, can_write=token.can_write)


def acts_as_person(actor: TokenActor) -> bool:
    return isinstance(actor, User)


def take_request(token: ApiToken) -> None:
    """Count one request of the token; over ``API_RATE_LIMIT`` a minute, raise
    ``RateLimited`` with the seconds until the next window.

    A fixed window in the shared cache (Redis, or the database table): ``add``
    starts the window's counter and ``incr`` is atomic on both back ends.
    """
    limit: int = settings.API_RATE_LIMIT
    if limit <= 0:
        return
    window = 60
    now = time.time()
    start = int(now // window) * window
    key = f"api-rate:{token.pk}:{start}"
    if cache.add(key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:
            # Expired between add and incr: this request starts it again.
            cache.set(key, 1, timeout=window + 5)
            count = 1
    if count > limit:
        raise RateLimited(max(1, int(start + window - now + 0.999)))
