"""My tickets (S33): a customer's open, answered and closed tickets, and nobody else's."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import SETUP, set_helpdesk
from tests.panel.helpers import unlabelled_controls
from tickets import actions, queries
from tickets.models import Ticket


def titles(response) -> list[str]:
    return [ticket.title for ticket in response.context["page"].object_list]


def counts(response) -> dict[str, int]:
    return {tab.state: tab.count for tab in response.context["tabs"]}


def answer(world, ticket: Ticket) -> Ticket:
    actions.answer(actor=world.supervisor, ticket=ticket, text="Restart the router, please.")
    return Ticket.objects.get(pk=ticket.pk)


def test_visitors_are_sent_to_sign_in(client):
    response = client.get("/portal/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/?next=/portal/")


@pytest.mark.parametrize("role", ["agent", "supervisor", "admin"])
def test_staff_are_sent_to_the_panel(world, as_user, role):
    response = as_user(getattr(world, role)).get("/portal/")
    assert (response.status_code, response["Location"]) == (302, "/panel/")


def test_a_customer_sees_their_accounts_open_tickets(world, as_user):
    world.ticket(title="Mail bounces")
    world.ticket(title="Invoice is wrong", account=world.account_b)
    response = as_user(world.customer_a).get("/portal/")
    assert response.status_code == 200
    assert titles(response) == ["Mail bounces"]
    assert counts(response) == {"waiting": 1, "answered": 0, "closed": 0}
    html = response.content.decode()
    assert "Waiting for support" in html
    assert "Invoice is wrong" not in html


def test_another_accounts_customer_sees_nothing_of_it_not_even_a_count(world, as_user):
    for title in ("Mail bounces", "DNS zone broken"):
        world.ticket(title=title)
    answer(world, world.ticket(title="Secret migration plan"))
    response = as_user(world.customer_b).get("/portal/?show=answered&q=Secret")
    assert counts(response) == {"waiting": 0, "answered": 0, "closed": 0}
    html = response.content.decode()
    for title in ("Mail bounces", "DNS zone broken", "Secret migration plan"):
        assert title not in html


def test_a_customer_of_no_account_sees_the_tickets_they_asked_for(world, as_user, stranger):
    mine = actions.open_ticket(
        actor=stranger, title="Domain transfer", requester_email="", text="Help", type="portal"
    )
    world.ticket(title="Mail bounces")
    response = as_user(stranger).get("/portal/")
    assert titles(response) == [mine.title]
    assert "The tickets you sent us." in response.content.decode()


def test_each_tab_lists_its_tickets_and_the_status_in_customer_words(world, as_user):
    world.ticket(title="Waiting one")
    answer(world, world.ticket(title="Answered one"))
    actions.close(actor=world.supervisor, ticket=world.ticket(title="Closed unanswered"))
    client = as_user(world.customer_a)
    assert titles(client.get("/portal/?show=waiting")) == ["Waiting one"]
    answered = client.get("/portal/?show=answered")
    assert titles(answered) == ["Answered one"]
    assert '<span class="state state-answered">Answered</span>' in answered.content.decode()
    closed = client.get("/portal/?show=closed")
    assert titles(closed) == ["Closed unanswered"]
    assert '<span class="state state-closed">Closed</span>' in closed.content.decode()
    assert counts(closed) == {"waiting": 1, "answered": 1, "closed": 1}


def test_an_unknown_tab_shows_the_open_tickets(world, as_user):
    world.ticket(title="Waiting one")
    response = as_user(world.customer_a).get("/portal/?show=everything")
    assert (response.context["state"], titles(response)) == ("waiting", ["Waiting one"])


def test_a_ticket_support_resolved_stays_answered_for_the_days_the_settings_say(world, as_user):
    set_helpdesk(answered_stays_open_days=7)
    # Auto-close 0 (the default): the answer closes the ticket at once.
    ticket = answer(world, world.ticket(title="Router down"))
    assert ticket.status == "closed"
    assert titles(as_user(world.customer_a).get("/portal/?show=answered")) == ["Router down"]
    # Signed in afresh each time: a session idle for days has ended.
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23), tick=False):
        client = as_user(world.customer_a)
        assert titles(client.get("/portal/?show=answered")) == ["Router down"]
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1), tick=False):
        client = as_user(world.customer_a)
        assert titles(client.get("/portal/?show=answered")) == []
        assert titles(client.get("/portal/?show=closed")) == ["Router down"]


def test_a_resolved_ticket_leaves_the_answered_list_when_the_customer_closes_it(world, as_user):
    ticket = answer(world, world.ticket(title="Router down"))
    client = as_user(world.customer_a)
    client.post(f"/portal/tickets/{ticket.number}/close/")
    assert titles(client.get("/portal/?show=answered")) == []
    assert titles(client.get("/portal/?show=closed")) == ["Router down"]


def test_staff_resolving_it_again_after_a_customer_reply_makes_it_answered_again(world, as_user):
    ticket = answer(world, world.ticket(title="Router down"))
    client = as_user(world.customer_a)
    client.post(f"/portal/tickets/{ticket.number}/close/")
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="It broke again.")
    assert titles(client.get("/portal/?show=waiting")) == ["Router down"]
    answer(world, ticket)
    assert titles(client.get("/portal/?show=answered")) == ["Router down"]


def test_no_days_puts_resolved_tickets_straight_into_the_closed_list(world, as_user):
    set_helpdesk(answered_stays_open_days=0)
    answer(world, world.ticket(title="Router down"))
    assert titles(as_user(world.customer_a).get("/portal/?show=closed")) == ["Router down"]


def test_an_answered_ticket_staff_keep_open_is_answered_until_the_customer_writes(world, as_user):
    set_helpdesk(auto_close_days=7)
    ticket = answer(world, world.ticket(title="Router down"))
    assert ticket.status != "closed"
    client = as_user(world.customer_a)
    assert titles(client.get("/portal/?show=answered")) == ["Router down"]
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Still down.")
    assert titles(client.get("/portal/?show=waiting")) == ["Router down"]


def test_search_finds_tickets_by_words_of_the_title_in_every_list(world, as_user):
    world.ticket(title="Invoice 2026-03 is wrong")
    world.ticket(title="Mailbox full")
    actions.close(actor=world.supervisor, ticket=world.ticket(title="Old invoice question"))
    world.ticket(title="Invoice of account B", account=world.account_b)
    client = as_user(world.customer_a)
    response = client.get("/portal/?q=INVOICE")
    assert titles(response) == ["Invoice 2026-03 is wrong"]
    assert counts(response) == {"waiting": 1, "answered": 0, "closed": 1}
    closed = client.get("/portal/?q=invoice&show=closed")
    assert titles(closed) == ["Old invoice question"]
    assert client.get("/portal/?q=old+invoice").context["tabs"][2].count == 1


def test_a_search_that_finds_nothing_here_points_to_the_list_that_has_it(world, as_user):
    actions.close(actor=world.supervisor, ticket=world.ticket(title="Old invoice question"))
    html = as_user(world.customer_a).get("/portal/?q=invoice").content.decode()
    assert "No ticket in this list has “invoice” in its title." in html
    assert "Closed (1)" in html


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Apples", "Bananas", "Cherries"]),
        ("-title", ["Cherries", "Bananas", "Apples"]),
        ("created", ["Bananas", "Cherries", "Apples"]),
        ("-created", ["Apples", "Cherries", "Bananas"]),
        ("-modified", ["Bananas", "Apples", "Cherries"]),
        ("modified", ["Cherries", "Apples", "Bananas"]),
        ("priority", ["Bananas", "Apples", "Cherries"]),  # not offered: the default
    ],
)
def test_the_list_sorts_by_title_created_and_last_modified(world, as_user, sort, expected):
    start = timezone.now() - timedelta(days=3)
    for offset, title in enumerate(["Bananas", "Cherries", "Apples"]):
        with time_machine.travel(start + timedelta(hours=offset), tick=False):
            world.ticket(title=title)
    for offset, title in enumerate(["Cherries", "Apples", "Bananas"]):
        with time_machine.travel(start + timedelta(days=1, hours=offset), tick=False):
            ticket = Ticket.objects.get(title=title)
            actions.change(actor=SETUP, ticket=ticket, priority=60 + offset)
    response = as_user(world.customer_a).get(f"/portal/?sort={sort}")
    assert titles(response) == expected


def test_sorting_by_status_puts_waiting_then_answered_then_closed(world, as_user):
    actions.close(actor=world.supervisor, ticket=world.ticket(title="Closed"))
    answer(world, world.ticket(title="Answered"))
    world.ticket(title="Waiting")
    tickets = queries.in_customer_order(queries.customer_tickets(world.customer_a), "status")
    assert [ticket.title for ticket in tickets] == ["Waiting", "Answered", "Closed"]
    descending = queries.in_customer_order(queries.customer_tickets(world.customer_a), "-status")
    assert [ticket.title for ticket in descending] == ["Closed", "Answered", "Waiting"]


def test_the_list_comes_in_pages_that_keep_the_tab_search_and_order(world, as_user):
    for index in range(33):
        world.ticket(title=f"Printer {index:02}")
    client = as_user(world.customer_a)
    first = client.get("/portal/?q=printer&sort=title")
    assert len(first.context["page"].object_list) == 30
    assert first.context["next_url"] == "/portal/?q=printer&sort=title&page=2"
    second = client.get(first.context["next_url"])
    assert titles(second) == ["Printer 30", "Printer 31", "Printer 32"]
    assert "Page 2 of 2" in second.content.decode()


def test_the_list_costs_the_same_queries_for_5_and_40_tickets(
    world, as_user, django_assert_max_num_queries
):
    client = as_user(world.customer_a)
    for index in range(5):
        world.ticket(title=f"Printer {index}")
    client.get("/portal/")
    with django_assert_max_num_queries(12) as few:
        client.get("/portal/")
    for index in range(35):
        world.ticket(title=f"Printer {index}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/portal/")


def test_every_control_of_the_list_is_labelled(world, as_user):
    for index in range(3):
        world.ticket(title=f"Printer {index}")
    html = as_user(world.customer_a).get("/portal/").content.decode()
    assert unlabelled_controls(html) == []
