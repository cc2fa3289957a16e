"""Tokens for the API tests: a personal one per staff role, integrations of billing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts import tokens
from accounts.models import User
from tests.conftest import World


class Api:
    """A client that sends a token: ``api.get("/tickets")`` as that token's bearer."""

    def __init__(self, client: Client, secret: str) -> None:
        self.client = client
        self.secret = secret

    def _headers(self, headers: dict[str, str] | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}", **(headers or {})}

    def get(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.client.get(f"/api/v1{path}", data, headers=self._headers(headers))

    def post(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.client.post(
            f"/api/v1{path}",
            data if data is not None else {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def patch(self, path: str, data: Any = None, **headers: str) -> Any:
        return self.client.patch(
            f"/api/v1{path}",
            data if data is not None else {},
            content_type="application/json",
            headers=self._headers(headers),
        )

    def delete(self, path: str, **headers: str) -> Any:
        return self.client.delete(f"/api/v1{path}", headers=self._headers(headers))


def personal(client: Client, person: User) -> Api:
    return Api(client, tokens.create_personal(actor=person, name="tests").secret)


@pytest.fixture
def as_role(world: World, client: Client):
    """``as_role("supervisor")``: an API client with that person's personal token."""

    def make(role: str) -> Api:
        return personal(client, getattr(world, role))

    return make


@pytest.fixture
def billing_writer(world: World, client: Client) -> Api:
    issued = tokens.create_integration(
        actor=world.admin, name="billing-cp", queues=[world.billing], can_write=True
    )
    return Api(client, issued.secret)


@pytest.fixture
def billing_reader(world: World, client: Client) -> Api:
    issued = tokens.create_integration(
        actor=world.admin, name="billing-monitor", queues=[world.billing], can_write=False
    )
    return Api(client, issued.secret)
