"""The lists' mass actions, posted directly: who may, what each ticket's refusal says,
and where the person is sent. Each starts a job (tickets/mass.py) whose page says
what was done; tests/panel/test_mass_jobs.py posts the forms as the lists render them."""

import re

import pytest
from django.contrib.messages import get_messages

from tests.panel.helpers import open_tickets, refreshed
from tickets.models import MassJob, Status
from tickets.visibility import visible_tickets


def said(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.fixture
def post(client, django_capture_on_commit_callbacks):
    """Post as the signed-in person; the job the request starts runs as it commits."""

    def posting(url: str, data: dict):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, data)

    return posting


def summary(client, response) -> tuple[str, str, list[str]]:
    """The job page the response leads to: its title, what was done, and the refusals."""
    page = client.get(response["Location"]).content.decode()
    title = re.search(r'<h1 id="mass-job-title">(.*?)</h1>', page)[1]  # type: ignore[index]
    done = re.search(r'<dd id="mass-job-done">(.*?)</dd>', page)[1]  # type: ignore[index]
    refused = re.findall(r'<li><a href="/panel/tickets/\d+/">(#\d+)</a>: (.*?)</li>', page)
    return title, done, [f"{number}: {reason}" for number, reason in refused]


def test_a_supervisor_assigns_several_tickets_at_once(world, as_user, post):
    tickets = open_tickets(3, world.billing)
    client = as_user(world.supervisor)
    response = post(
        "/panel/tickets/mass/assign/",
        {
            "ticket": [t.number for t in tickets],
            "assignee": world.agent.pk,
            "next": "/panel/tickets/unassigned/",
        },
    )
    job = MassJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/panel/mass/{job.pk}/?next=%2Fpanel%2Ftickets%2Funassigned%2F"
    assert [refreshed(t).assignee for t in tickets] == [world.agent] * 3
    assert summary(client, response) == ("Assign 3 tickets to agent", "3", [])


def test_a_mass_action_reports_each_ticket_that_failed_and_does_the_others(world, as_user, post):
    mine = open_tickets(2, world.billing)
    hidden = open_tickets(1, world.sales)[0]
    client = as_user(world.supervisor)
    response = post(
        "/panel/tickets/mass/close/",
        {"ticket": [mine[0].number, hidden.number, 999999, mine[1].number]},
    )
    assert [refreshed(t).status for t in mine] == [Status.CLOSED, Status.CLOSED]
    assert refreshed(hidden).status == Status.NEW
    assert summary(client, response) == (
        "Close 4 tickets without telling the customers",
        "2",
        [f"#{hidden.number}: no such ticket.", "#999999: no such ticket."],
    )


@pytest.mark.parametrize("assignee", ["customer", "", "nobody"])
def test_mass_assign_to_somebody_who_is_not_staff_is_refused(world, as_user, assignee):
    ticket = open_tickets(1, world.billing)[0]
    chosen = world.customer_a.pk if assignee == "customer" else assignee
    response = as_user(world.supervisor).post(
        "/panel/tickets/mass/assign/", {"ticket": [ticket.number], "assignee": chosen}
    )
    assert said(response) == ["Choose whom to assign the tickets to."]
    assert refreshed(ticket).assignee is None
    assert not MassJob.objects.exists()


def test_an_agent_may_close_their_tickets_at_once(world, as_user, post):
    tickets = open_tickets(2, world.billing, assignee=world.agent)
    as_user(world.agent)
    post("/panel/tickets/mass/close/", {"ticket": [t.number for t in tickets]})
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
    for action in ("assign", "close", "priority", "delete", "delete/confirmed"):
        response = client.post(f"/panel/tickets/mass/{action}/", {"ticket": [ticket.number]})
        assert response.status_code == 403
    assert refreshed(ticket).status == Status.NEW


def test_mass_delete_asks_for_confirmation_first(world, as_user, post):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    numbers = [t.number for t in tickets]
    response = client.post("/panel/tickets/mass/delete/", {"ticket": numbers, "next": "/panel/"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Delete these tickets permanently?" in page
    assert visible_tickets(world.supervisor).filter(number__in=numbers).count() == 2
    response = post(
        "/panel/tickets/mass/delete/confirmed/", {"numbers": " ".join(map(str, numbers))}
    )
    assert visible_tickets(world.admin).filter(number__in=numbers).count() == 0
    assert summary(client, response) == ("Delete 2 tickets permanently", "2", [])


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


def test_a_mass_action_never_sends_the_person_to_another_site(world, as_user, post):
    ticket = open_tickets(1, world.billing)[0]
    client = as_user(world.supervisor)
    response = post(
        "/panel/tickets/mass/close/",
        {"ticket": [ticket.number], "next": "https://evil.example/"},
    )
    assert response["Location"].startswith("/panel/mass/")
    page = client.get(response["Location"]).content.decode()
    assert '<a href="/panel/" id="mass-job-back">' in page and "evil" not in page
    job_page = client.get(response["Location"].split("?")[0] + "?next=https://evil.example/")
    assert "evil" not in job_page.content.decode()
    page = client.post(
        "/panel/tickets/mass/delete/",
        {"ticket": [ticket.number], "next": "javascript:alert(1)"},
    ).content.decode()
    assert "javascript:" not in page
