"""Helpers of the search tests: search as a person does, through the visibility rule."""

from __future__ import annotations

import pytest

from search import api
from search.api import parse
from tickets.models import Ticket
from tickets.visibility import visible_tickets


@pytest.fixture
def indexing_on_commit():
    """Index changes the real way, after the commit (the suite's default indexes at once)."""


def found(user, text: str, *, notes: bool | None = None) -> list[int]:
    """Numbers of the tickets ``user`` finds with ``text``, best first.

    ``notes`` defaults to what the person is: staff search notes, customers never.
    """
    if notes is None:
        notes = user.staff is not None
    tickets = api.matching(visible_tickets(user), parse(text), notes=notes)
    return list(tickets.order_by("-search_rank", "-number").values_list("number", flat=True))


def numbers(*tickets: Ticket) -> list[int]:
    return [ticket.number for ticket in tickets]
