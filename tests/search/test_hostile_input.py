"""Whatever is typed, a search gives results or nothing, never an error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import api
from search.api import count_capped, parse, snippets
from search.query import MAX_TERMS
from tests.search.conftest import found
from tickets.visibility import visible_tickets

HOSTILE = [
    '"',
    '""',
    '"""',
    "'",
    "%",
    "_",
    "%_%",
    "\\",
    "\\\\'",
    "\x00",
    "mail\x00server",
    "*",
    "**",
    "-",
    "--",
    "-*",
    "NEAR(",
    "NEAR(mail server, 2)",
    "title:mail",
    "{title}: mail",
    "^mail",
    "mail^",
    "AND OR NOT",
    "mail AND",
    "NOT mail",
    "mail OR",
    "(mail",
    "mail)",
    "mail & server | !x <-> y",
    "'mail':*A",
    "mail:*",
    "!!",
    '"mail',
    'mail"',
    '"mail" "',
    "a" * 10_000,
    "mail " * 2_000,
    "é" * 5_000,
    "退" * 3_000,
    "\u202e\u200f",
    "\ud800",
    "💥🔥",
    ";DROP TABLE tickets_ticket;--",
    "' OR 1=1 --",
]


@pytest.mark.parametrize("text", HOSTILE, ids=[f"hostile{n}" for n in range(len(HOSTILE))])
def test_hostile_text_gives_results_or_nothing_never_an_error(world, text):
    world.ticket(world.support, title="Mail server down", text="The mail server AND the rest.")
    query = parse(text)
    for notes in (False, True):
        tickets = api.matching(visible_tickets(world.admin), query, notes=notes)
        rows = list(tickets.order_by("-search_rank")[:25])
        count_capped(tickets, 100)
        marked = snippets([row.number for row in rows], query, notes=notes)
        assert set(marked) == {row.number for row in rows}
    if not query:
        assert rows == []


def test_fts_words_are_words(world):
    ticket = world.ticket(world.support, title="Near the title: NOT this", text="and or not")
    assert found(world.admin, "NEAR(") == [ticket.number]
    assert found(world.admin, "title:") == [ticket.number]
    assert found(world.admin, "AND OR NOT") == [ticket.number]


def test_like_wildcards_are_not_wildcards(world):
    world.ticket(world.support, title="Anything at all", text="x")
    assert found(world.admin, "%") == []
    assert found(world.admin, "_") == []
    assert found(world.admin, "a%y") == []


def test_a_long_query_is_cut_to_its_first_terms(world):
    ticket = world.ticket(world.support, title="alpha beta", text="x")
    query = parse("alpha beta " + " ".join(f"w{n}" for n in range(100)))
    assert query.truncated
    assert len(query.terms) == MAX_TERMS
    assert parse("alpha").truncated is False
    assert found(world.admin, "alpha beta") == [ticket.number]


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=200))
def test_any_text_parses_and_searches(world, text):
    query = parse(text)
    tickets = api.matching(visible_tickets(world.admin), query, notes=True)
    assert list(tickets[:5]) == [] or query
    snippets([], query, notes=True)
