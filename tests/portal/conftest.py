"""Helpers for the portal's tests; the people come from tests/conftest.py.

Besides the customers of accounts A and B, ``stranger`` is a customer of no
account: they see the tickets they asked for themselves.
"""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from tickets.models import HelpdeskSettings


@pytest.fixture
def as_user(client: Client):
    """``as_user(person)`` signs the test client in as that person and returns it."""

    def sign_in(user: User) -> Client:
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def stranger(db) -> User:
    return User.objects.create_user(
        "stranger@elsewhere.example", "secret", full_name="Sam Stranger"
    )


@pytest.fixture(autouse=True)
def _settings_row(db) -> None:
    HelpdeskSettings.load()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
