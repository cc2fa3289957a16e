"""Bearer tokens: who is calling, and whether they may call again so soon."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest
from ninja.security import HttpBearer

from accounts import tokens
from accounts.models import ApiToken


@dataclass(frozen=True)
class Caller:
    """The token of a request and who acts for it (accounts/tokens.py decides)."""

    token: ApiToken
    actor: tokens.TokenActor

    @property
    def is_person(self) -> bool:
        return tokens.acts_as_person(self.actor)


class TokenAuth(HttpBearer):
    """``Authorization: Bearer fd_…``; an unknown, revoked or expired token is 401,
    a token over its rate limit 429 (``tokens.RateLimited``, see api/errors.py)."""

    def authenticate(self, request: HttpRequest, token: str) -> Caller | None:
        found = tokens.authenticate(token)
        if found is None:
            return None
        tokens.take_request(found)
        return Caller(token=found, actor=tokens.actor_of(found))


def caller_of(request: HttpRequest) -> Caller:
    caller = getattr(request, "auth", None)
    assert isinstance(caller, Caller)  # every operation requires TokenAuth
    return caller
