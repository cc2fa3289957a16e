"""Helpers for the spellcheck's tests; the people come from tests/conftest.py."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.test.client import Client as TestClient

from accounts.models import User


@pytest.fixture
def as_user(client: Client):
    """``as_user(person)`` signs the test client in as that person and returns it."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


def post_json(client: TestClient, url: str, data: object, **extra: Any):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)
