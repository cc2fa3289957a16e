import pytest
from django.contrib.messages import get_messages

from tests.panel.helpers import open_tickets, refreshed
from tickets.models import Status
from tickets.visibility import visible_tickets


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_a_supervisor_assigns_several_tickets_at_once(world, as_user):
    tickets = open_tickets(3, world.billing)
    response = as_user(world.supervisor).post(
        "/panel/tickets/mass/assign/",
        {
            "ticket": [t.number for t in tickets],
            "assignee": world.agent.pk,
            "next": "/panel/tickets/unassigned/",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/panel/tickets/unassigned/"
    assert [refreshed(t).assignee for t in tickets] == [world.agent] * 3
    numbers = ", ".join(f"#{t.number}" for t in tickets)
    assert said(response) == [f"Assigned to agent: 3 of 3 ({numbers})."]


def test_a_mass_action_reports_each_ticket_that_failed_and_does_the_others(world, as_user):
    mine = open_tickets(2, world.billing)
    hidden = open_tickets(1, world.sales)[0]
    response = as_user(world.supervisor).post(
        "/panel/tickets/mass/close/",
        {"ticket": [mine[0].number, hidden.number, 999999, mine[1].number]},
    )
    assert [refreshed(t).status for t in mine] == [Status.CLOSED, Status.CLOSED]
    assert refreshed(hidden).status == Status.NEW
    assert said(response) == [
        f"Closed: 2 of 4 (#{mine[0].number}, #{mine[1].number}).",
        f"#{hidden.number}: no such ticket.",
        "#999999: no such ticket.",
    ]


@pytest.mark.parametrize("assignee", ["customer", "", "nobody"])
def test_mass_assign_to_somebody_who_is_not_staff_is_refused(world, as_user, assignee):
    ticket = open_tickets(1, world.billing)[0]
    chosen = world.customer_a.pk if assignee == "customer" else assignee
    response = as_user(world.supervisor).post(
        "/panel/tickets/mass/assign/", {"ticket": [ticket.number], "assignee": chosen}
    )
    assert said(response) == ["Choose whom to assign the tickets to."]
    assert refreshed(ticket).assignee is None


def test_an_agent_may_close_their_tickets_at_once(world, as_user):
    tickets = open_tickets(2, world.billing, assignee=world.agent)
    as_user(world.agent).post("/panel/tickets/mass/close/", {"ticket": [t.number for t in tickets]})
    assert [refreshed(t).status for t in tickets] == [Status.CLOSED] * 2


def test_an_agent_may_not_mass_assign_or_delete(world, as_user):
    tickets = open_tickets(2, world.billing, assignee=world.agent)
    client = as_user(world.agent)
    numbers = [t.number for t in tickets]
    data = {"ticket": numbers, "assignee": world.other_agent.pk}
    assert client.post("/panel/tickets/mass/assign/", data).status_code == 403
    assert client.post("/panel/tickets/mass/delete/", data).status_code == 403
    assert client.post("/panel/tickets/mass/delete/confirmed/", data).status_code == 403
    assert [refreshed(t).assignee for t in tickets] == [world.agent] * 2


def test_a_customer_may_not_use_mass_actions(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    for action in ("assign", "close", "delete", "delete/confirmed"):
        response = client.post(f"/panel/tickets/mass/{action}/", {"ticket": [ticket.number]})
        assert response.status_code == 403
    assert refreshed(ticket).status == Status.NEW


def test_mass_delete_asks_for_confirmation_first(world, as_user):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    numbers = [t.number for t in tickets]
    response = client.post("/panel/tickets/mass/delete/", {"ticket": numbers, "next": "/panel/"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Delete these tickets permanently?" in page
    assert visible_tickets(world.supervisor).filter(number__in=numbers).count() == 2
    response = client.post("/panel/tickets/mass/delete/confirmed/", {"ticket": numbers})
    assert visible_tickets(world.admin).filter(number__in=numbers).count() == 0
    assert said(response)[0].startswith("Deleted permanently: 2 of 2")


def test_the_confirmation_lists_only_tickets_the_supervisor_may_see(world, as_user):
    mine = open_tickets(1, world.billing, title="Visible")[0]
    hidden = open_tickets(1, world.sales, title="Hidden")[0]
    page = (
        as_user(world.supervisor)
        .post("/panel/tickets/mass/delete/", {"ticket": [mine.number, hidden.number]})
        .content.decode()
    )
    assert "Visible" in page and "Hidden" not in page


def test_nothing_selected_says_so(world, as_user):
    response = as_user(world.supervisor).post("/panel/tickets/mass/close/", {"ticket": []})
    assert said(response) == ["Select at least one ticket first."]


def test_a_mass_action_never_sends_the_person_to_another_site(world, as_user):
    ticket = open_tickets(1, world.billing)[0]
    response = as_user(world.supervisor).post(
        "/panel/tickets/mass/close/",
        {"ticket": [ticket.number], "next": "https://evil.example/"},
    )
    assert response["Location"] == "/panel/"
    page = (
        as_user(world.supervisor)
        .post(
            "/panel/tickets/mass/delete/",
            {"ticket": [ticket.number], "next": "javascript:alert(1)"},
        )
        .content.decode()
    )
    assert "javascript:" not in page
