from __future__ import annotations

import pytest

from tests.conftest import SETUP
from tickets import actions


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """``with after_commit():`` runs what the block's actions send on commit (the
    domain signals), as a real commit would."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


@pytest.fixture
def agents_ticket(world):
    """A billing ticket assigned to the agent, sticky so a customer reply leaves it theirs."""
    ticket = world.ticket(world.billing)
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    return actions.change(actor=SETUP, ticket=ticket, is_sticky=True)
