import re

import pytest

from tests.conftest import SETUP
from tests.panel.helpers import htmx, open_tickets, queries_for
from tickets import actions
from tickets.models import Status


def row_numbers(page: str, key: str) -> list[int]:
    return [int(number) for number in re.findall(rf'id="row-{key}-(\d+)"', page)]


def test_my_list_shows_my_active_tickets_highest_priority_first(world, as_user):
    low, high, middle = open_tickets(3, world.billing, assignee=world.supervisor)
    actions.change(actor=SETUP, ticket=low, priority=10)
    actions.change(actor=SETUP, ticket=high, priority=90)
    actions.change(actor=SETUP, ticket=middle, priority=50)
    done = open_tickets(1, world.billing, assignee=world.supervisor)[0]
    actions.close(actor=SETUP, ticket=done)
    open_tickets(1, world.billing, assignee=world.agent)
    page = as_user(world.supervisor).get("/panel/tickets/mine/").content.decode()
    assert row_numbers(page, "mine") == [high.number, middle.number, low.number]


def test_the_unassigned_list_shows_the_newest_first(world, as_user):
    first, second = open_tickets(2, world.support)
    open_tickets(1, world.support, assignee=world.admin)
    page = as_user(world.supervisor).get("/panel/tickets/unassigned/").content.decode()
    assert row_numbers(page, "unassigned") == [second.number, first.number]


def test_the_unassigned_list_holds_only_queues_the_supervisor_is_entitled_to(world, as_user):
    mine = open_tickets(1, world.billing)[0]
    others = open_tickets(1, world.sales)[0]
    page = as_user(world.supervisor).get("/panel/tickets/unassigned/").content.decode()
    assert row_numbers(page, "unassigned") == [mine.number]
    page = as_user(world.other_supervisor).get("/panel/tickets/unassigned/").content.decode()
    assert row_numbers(page, "unassigned") == [others.number]


def test_an_agent_may_not_open_the_unassigned_list(world, as_user):
    assert as_user(world.agent).get("/panel/tickets/unassigned/").status_code == 403


@pytest.mark.parametrize("url", ["/panel/tickets/mine/", "/panel/tickets/received/today/"])
def test_a_customer_may_not_open_a_list(world, as_user, url):
    assert as_user(world.customer_a).get(url).status_code == 403


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("title", lambda t: (t.title, -t.number)),
        ("priority", lambda t: (t.priority, -t.number)),
        ("created", lambda t: (t.created_at, -t.number)),
        ("modified", lambda t: (t.modified_at, -t.number)),
        ("type", lambda t: (t.type, -t.number)),
        ("status", lambda t: (t.status, -t.number)),
    ],
)
def test_lists_sort_by_each_column_in_both_directions(world, as_user, sort, key):
    tickets = open_tickets(4, world.support, title="Zebra")
    tickets += open_tickets(3, world.support, title="Aardvark")
    actions.change(actor=SETUP, ticket=tickets[1], status=Status.ON_HOLD, priority=99)
    actions.change(actor=SETUP, ticket=tickets[5], priority=99)
    client = as_user(world.admin)
    fresh = {}
    for ticket in tickets:
        ticket.refresh_from_db()
        fresh[ticket.number] = ticket
    ascending = [t.number for t in sorted(fresh.values(), key=key)]
    page = client.get(f"/panel/tickets/unassigned/?sort={sort}").content.decode()
    assert row_numbers(page, "unassigned") == ascending
    assert 'aria-sort="ascending"' in page
    page = client.get(f"/panel/tickets/unassigned/?sort=-{sort}").content.decode()
    # Ties stay newest first in both directions.
    descending = [t.number for t in sorted(fresh.values(), key=lambda t: (key(t)[0], t.number))]
    assert row_numbers(page, "unassigned") == list(reversed(descending))
    assert 'aria-sort="descending"' in page


def test_an_unknown_sort_key_falls_back_to_the_default_order(world, as_user):
    first, second = open_tickets(2, world.support)
    client = as_user(world.admin)
    for sort in ("password", "-queue__name", "title;drop"):
        page = client.get(f"/panel/tickets/unassigned/?sort={sort}").content.decode()
        assert row_numbers(page, "unassigned") == [second.number, first.number]


def test_unanswered_rows_are_bold_and_answered_ones_are_not(world, as_user, settings):
    waiting, answered = open_tickets(2, world.billing, assignee=world.supervisor)
    actions.change(actor=SETUP, ticket=waiting, priority=99)
    actions.answer(actor=world.supervisor, ticket=answered, text="Done.")
    actions.reopen(actor=SETUP, ticket=answered)
    page = as_user(world.supervisor).get("/panel/tickets/mine/").content.decode()
    assert f'id="row-mine-{waiting.number}" class="unanswered"' in page
    assert f'id="row-mine-{answered.number}">' in page


def test_lists_are_paginated(world, as_user):
    open_tickets(30, world.support)
    client = as_user(world.admin)
    first = client.get("/panel/tickets/unassigned/").content.decode()
    assert len(row_numbers(first, "unassigned")) == 25
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first
    second = client.get("/panel/tickets/unassigned/?sort=-created&page=2").content.decode()
    assert len(row_numbers(second, "unassigned")) == 5
    assert 'rel="prev"' in second


def test_sorting_by_htmx_returns_the_table_alone(world, as_user):
    open_tickets(3, world.support)
    response = as_user(world.admin).get("/panel/tickets/unassigned/?sort=title", headers=htmx())
    page = response.content.decode()
    assert page.lstrip().startswith('<section id="list-unassigned"')
    assert "<html" not in page


def test_sort_links_keep_the_search_words(world, as_user):
    open_tickets(2, world.support, title="Mail bounces")
    page = as_user(world.admin).get("/panel/search/?q=bounces").content.decode()
    assert "/panel/search/?q=bounces&amp;sort=title" in page


def test_a_received_list_shows_every_status(world, as_user):
    open_ticket, closed = open_tickets(2, world.support)
    actions.close(actor=SETUP, ticket=closed)
    page = as_user(world.admin).get("/panel/tickets/received/today/").content.decode()
    assert sorted(row_numbers(page, "received-today")) == [open_ticket.number, closed.number]


LIST_URLS = {
    "mine": "/panel/tickets/mine/",
    "unassigned": "/panel/tickets/unassigned/",
    "received": "/panel/tickets/received/month/",
}
# The quick search's results cost more (a capped count, snippets) and are held constant
# in tests/panel/test_quick_search.py.


@pytest.mark.parametrize("name", LIST_URLS)
@pytest.mark.parametrize("as_htmx", [False, True])
def test_each_list_costs_the_same_queries_for_10_and_200_tickets(world, as_user, name, as_htmx):
    client = as_user(world.supervisor)
    assignee = world.supervisor if name == "mine" else None
    headers = htmx() if as_htmx else {}
    open_tickets(10, world.billing, assignee=assignee)
    few = queries_for(client, LIST_URLS[name], **headers)
    open_tickets(190, world.billing, assignee=assignee)
    many = queries_for(client, LIST_URLS[name], **headers)
    # session, user, staff profile, capped count, one page of rows, the assignees and
    # the queues to choose from for a mass action; whether the person has two-factor
    # sign-in and their role requires it (the settings row, read fresh); the toolbar's
    # bell, the person's unread notifications, and their theme (a full page only)
    assert few == many == (9 if as_htmx else 11)
