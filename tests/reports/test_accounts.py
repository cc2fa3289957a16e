"""Figures by account: received, closed and the median first response of the accounts
that sent the most, of the queues the person sees (reports.models.AccountTally)."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from reports import queries
from reports.queries import Period
from tests.reports import desk
from tests.reports.conftest import DAY1, DAY3, at
from tests.reports.test_reports_page import filters, signed_in, table_rows
from tickets import actions


@pytest.fixture
def accounts_desk(world):
    built = desk.build(world)  # T1, T2, T6 Billing; T3 Support; T4 Sales: all of account A
    with at(DAY3 + 14 * desk.H):
        world.ticket(world.sales, account=world.account_b)
        world.ticket(world.billing, account=world.account_b)
    return built


def period(**kw) -> Period:
    return Period(start=DAY1.date(), end=DAY3.date(), **kw)


def figures(user, **kw) -> list[tuple[str, int, int, str]]:
    return [
        (line.name, line.received, line.closed, line.first_response.median)
        for line in queries.by_account(user, period(**kw))
    ]


def test_an_administrator_sees_every_account_s_figures(accounts_desk):
    # A: T1 (10 min), T2 (2 h), T3 (30 min) first answered, T1 and T3 closed.
    assert figures(accounts_desk.world.admin) == [
        ("Account A", 5, 2, "up to 1 h"),
        ("Account B", 2, 0, "–"),
    ]


def test_a_supervisor_sees_the_accounts_figures_of_their_queues_only(accounts_desk):
    world = accounts_desk.world
    # Billing and Support: T1, T2, T6, T3 of A; B's Billing ticket.
    assert figures(world.supervisor) == [
        ("Account A", 4, 2, "up to 1 h"),
        ("Account B", 1, 0, "–"),
    ]
    # Sales and Support: T3 and T4 of A; B's Sales ticket.
    assert figures(world.other_supervisor) == [
        ("Account A", 2, 1, "up to 1 h"),
        ("Account B", 1, 0, "–"),
    ]
    # An agent sees no queue as a whole: no account's figures.
    assert figures(world.agent) == []


def test_the_queue_filter_and_the_limit_narrow_them(accounts_desk):
    world = accounts_desk.world
    assert figures(world.admin, queue=world.sales.pk) == [
        ("Account A", 1, 0, "–"),
        ("Account B", 1, 0, "–"),
    ]
    top = queries.by_account(world.admin, period(), limit=1)
    assert [line.name for line in top] == ["Account A"]


def test_a_change_of_account_moves_the_ticket_s_figures(accounts_desk):
    world = accounts_desk.world
    with at(DAY3 + 15 * desk.H):
        actions.change_account(actor=world.admin, ticket=accounts_desk.t4, account=world.account_b)
    assert [line[:2] for line in figures(world.admin)] == [("Account A", 4), ("Account B", 3)]


def test_the_page_links_each_account_and_the_csv_holds_the_table(accounts_desk, client):
    world = accounts_desk.world
    signed_in(client, world.supervisor)
    page = client.get(reverse("panel:reports"), filters(client))
    html = page.content.decode()
    assert table_rows(html, "table-accounts") == [
        ["Account A", "4", "2", "up to 1 h"],
        ["Account B", "1", "0", "–"],
    ]
    assert f'href="{reverse("panel:customer", args=[world.account_a.pk])}"' in html
    response = client.get(reverse("panel:reports_csv", args=["accounts"]), filters(client))
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Account", "Received", "Closed", "First response, median"],
        ["Account A", "4", "2", "up to 1 h"],
        ["Account B", "1", "0", "–"],
    ]
