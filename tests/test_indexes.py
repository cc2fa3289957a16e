"""The panel's lists (S15-S17) and the requester look-up are served by indexes:
the database searches an index instead of reading the whole ticket table."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tickets import actions
from tickets.models import ACTIVE_STATUSES, Ticket
from tickets.queries import in_order
from tickets.visibility import visible_in_parts, visible_tickets, visible_unassigned


def plan(run: Callable[[], object]) -> list[str]:
    """The query plan of the one query ``run`` sends, as lines of text."""
    with CaptureQueriesContext(connection) as captured:
        run()
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            return [row[-1] for row in cursor.fetchall()]
        assert connection.vendor == "postgresql"
        # The test tables are tiny; without this the planner reads them whole
        # because that is cheapest, which says nothing about a real table.
        cursor.execute("SET enable_seqscan = off")
        try:
            cursor.execute("EXPLAIN " + query["sql"])
            return [row[0] for row in cursor.fetchall()]
        finally:
            cursor.execute("RESET enable_seqscan")


def assert_uses_index(lines: list[str], index: str) -> None:
    text = "\n".join(lines)
    if connection.vendor == "sqlite":
        assert not re.search(r"SCAN tickets_ticket(?! USING)", text), text
        assert re.search(rf"SEARCH tickets_ticket USING (COVERING )?INDEX ({index})\b", text), text
    else:
        assert "Seq Scan on tickets_ticket" not in text, text
        assert re.search(
            rf"(Index Scan|Index Only Scan)( Backward)? using ({index}) on tickets_ticket"
            rf"|Bitmap Index Scan on ({index})\b",
            text,
        ), text


@pytest.fixture
def busy(world):
    """A few dozen tickets in every queue, some assigned, from both accounts."""
    for n in range(36):
        queue = (world.support, world.billing, world.sales)[n % 3]
        account = world.account_a if n % 2 else world.account_b
        ticket = world.ticket(queue, account=account, title=f"Ticket {n}")
        if n % 4 == 0:
            actions.assign(actor=world.admin, ticket=ticket, assignee=world.supervisor)
    return world


def received_this_week(world) -> int:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return Ticket.objects.filter(
        created_at__gte=today - timedelta(days=7), created_at__lt=today + timedelta(days=1)
    ).count()


def received_this_week_by_a_supervisor(world) -> int:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return (
        visible_tickets(world.supervisor)
        .filter(created_at__gte=today - timedelta(days=7), created_at__lt=today + timedelta(days=1))
        .count()
    )


def my_highest_priority(world) -> list[Ticket]:
    return list(
        visible_tickets(world.agent)
        .filter(assignee=world.agent, status__in=ACTIVE_STATUSES)
        .order_by("-priority")[:25]
    )


def a_supervisors_highest_priority(world) -> list[Ticket]:
    return list(
        visible_tickets(world.supervisor)
        .filter(assignee=world.supervisor, status__in=ACTIVE_STATUSES)
        .order_by("-priority")[:25]
    )


def newest_unassigned_of_a_queue(world) -> list[Ticket]:
    return list(
        Ticket.objects.filter(
            queue=world.billing, assignee__isnull=True, status__in=ACTIVE_STATUSES
        ).order_by("-created_at")[:25]
    )


def newest_unassigned_a_supervisor_sees(world) -> list[Ticket]:
    return list(
        visible_unassigned(world.supervisor)
        .filter(status__in=ACTIVE_STATUSES)
        .order_by("-created_at")[:25]
    )


def unassigned_now(world) -> int:
    return visible_unassigned(world.supervisor).filter(status__in=ACTIVE_STATUSES).count()


def tickets_of_a_requester(world) -> list[Ticket]:
    return list(
        visible_tickets(world.supervisor)
        .filter(requester_email=world.customer_a.email)
        .order_by("-created_at")[:10]
    )


def latest_tickets_of_an_account(world) -> list[Ticket]:
    return list(Ticket.objects.filter(account=world.account_a).order_by("-created_at")[:10])


def unassigned_by_title_page_3_a_supervisor_sees(world) -> list[Ticket]:
    return list(
        visible_unassigned(world.supervisor)
        .filter(status__in=ACTIVE_STATUSES)
        .order_by("title", "-number")[50:75]
    )


def received_this_week_in_a_supervisors_queues(world) -> int:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    [queues, _elsewhere] = visible_in_parts(world.supervisor)
    return queues.filter(created_at__gte=today - timedelta(days=7)).count()


def received_this_week_assigned_to_a_supervisor_elsewhere(world) -> int:
    today = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    [_queues, elsewhere] = visible_in_parts(world.supervisor)
    return elsewhere.filter(created_at__gte=today - timedelta(days=7)).count()


#: query -> the index each database is expected to search (S15-S18 lists).
#: Every unassigned index holds queue and status: on tables this small PostgreSQL
#: reads whichever is smallest, SQLite the one of the order asked for.
UNASSIGNED = r"ticket_unassigned_\w+"

CASES: dict = {
    received_this_week: "ticket_created",
    # SQLite may answer the visibility OR with one index per branch.
    received_this_week_by_a_supervisor: (
        "ticket_created|ticket_queue_status|ticket_assignee_created"
    ),
    my_highest_priority: "ticket_assignee|ticket_assignee_created",
    a_supervisors_highest_priority: "ticket_assignee|ticket_assignee_created",
    # "assignee IS NULL" is an equality on the unassigned indexes; one queue's newest
    # may as well be walked in that queue's order of arrival.
    newest_unassigned_of_a_queue: f"{UNASSIGNED}|ticket_queue_created",
    newest_unassigned_a_supervisor_sees: UNASSIGNED,
    unassigned_now: UNASSIGNED,
    # SQLite walks the title's index; PostgreSQL, knowing how few rows there are,
    # may as well sort the supervisor's unassigned tickets (bench/plans.py at scale).
    unassigned_by_title_page_3_a_supervisor_sees: UNASSIGNED,
    received_this_week_in_a_supervisors_queues: "ticket_queue_created|ticket_created",
    received_this_week_assigned_to_a_supervisor_elsewhere: "ticket_assignee_created",
    tickets_of_a_requester: "ticket_requester",
    latest_tickets_of_an_account: "ticket_account",
}


@pytest.mark.parametrize("query", CASES, ids=lambda query: query.__name__)
def test_the_list_is_served_by_its_index(busy, query):
    # Any index built for the query will do: on a small table the planners
    # choose between them by a hair; a scan or an unrelated index fails.
    assert_uses_index(plan(lambda: query(busy)), CASES[query])


def test_the_check_itself_sees_a_table_scan(busy):
    # Guards the guard: a query no index serves must be reported as a scan.
    lines = plan(lambda: list(Ticket.objects.filter(title="Ticket 3")))
    with pytest.raises(AssertionError):
        assert_uses_index(lines, "ticket_created")


@pytest.mark.parametrize("sort", ["title", "-priority", "created", "-modified", "type", "-status"])
def test_the_unassigned_list_is_paged_in_the_order_of_its_index(busy, sort):
    # Any page of any order: the index is walked in that order until the page is
    # found, never the whole backlog read and sorted (bench/plans.py at scale).
    column = str(in_order(visible_unassigned(busy.supervisor), sort).query.order_by[0]).lstrip("-")
    lines = plan(lambda: list(in_order(visible_unassigned(busy.supervisor), sort)[50:75]))
    if connection.vendor == "sqlite":
        assert_uses_index(lines, f"ticket_unassigned_{column.removesuffix('_at')}")
        assert not any("TEMP B-TREE FOR ORDER BY" in line for line in lines), lines
    else:
        assert_uses_index(lines, UNASSIGNED)
