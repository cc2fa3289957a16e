"""Helpers for the agent panel's tests; the people come from tests/conftest.py."""

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


@pytest.fixture(autouse=True)
def _settings_row(db) -> None:
    # Created once up front, so counting a page's queries never counts its creation.
    HelpdeskSettings.load()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
