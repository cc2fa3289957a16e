"""Search starts from what a person may see: results and counts never show more."""

from __future__ import annotations

import pytest

from search import api
from search.api import count_capped, parse
from tests.search.conftest import found
from tickets.visibility import visible_tickets


@pytest.fixture
def tickets(world):
    return {
        "a": world.ticket(world.support, title="Invoice wrong", text="x"),
        "b": world.ticket(world.support, account=world.account_b, title="Invoice wrong", text="x"),
        "billing": world.ticket(world.billing, title="Invoice late", text="x"),
        "sales": world.ticket(world.sales, title="Invoice lost", text="x"),
    }


def test_a_customer_never_finds_another_accounts_ticket(world, tickets):
    assert found(world.customer_a, "invoice") == sorted(
        [tickets["a"].number, tickets["billing"].number, tickets["sales"].number], reverse=True
    )
    assert tickets["b"].number not in found(world.customer_a, "invoice wrong")
    assert found(world.customer_b, "invoice") == [tickets["b"].number]


def test_staff_find_what_their_queues_and_assignments_show(world, tickets):
    # The supervisor sees billing and the default queue; the agent what is assigned to them.
    assert tickets["sales"].number not in found(world.supervisor, "invoice")
    assert tickets["billing"].number in found(world.supervisor, "invoice")
    assert found(world.agent, "invoice") == []
    assert len(found(world.admin, "invoice")) == 4


def test_the_capped_count_counts_visible_matches_only(world, tickets):
    mine = api.matching(visible_tickets(world.customer_b), parse("invoice"), notes=False)
    assert count_capped(mine, 10) == (1, False)
    everything = api.matching(visible_tickets(world.admin), parse("invoice"), notes=True)
    assert count_capped(everything, 4) == (4, False)
    assert count_capped(everything, 3) == (3, True)


def test_results_work_as_a_subquery(world, tickets):
    from tickets.models import Ticket

    results = api.matching(visible_tickets(world.customer_b), parse("invoice"), notes=False)
    assert list(Ticket.objects.filter(pk__in=results.values("pk"))) == [tickets["b"]]
