"""The index holds what the thread shows and nothing else: no drafts."""

from __future__ import annotations

from panel import drafts
from tests.search.conftest import found


def test_a_draft_is_not_indexed(world):
    ticket = world.ticket(world.support, title="Question", text="Hello.")
    drafts.keep(
        user=world.admin, ticket=ticket, answer="unsent xylophone", note="draft zebra", cc=""
    )
    assert found(world.admin, "xylophone") == []
    assert found(world.admin, "zebra") == []
