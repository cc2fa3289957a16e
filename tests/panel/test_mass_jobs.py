"""Mass actions through the lists' form, as jobs with a page of their own (S17, S22).

Every form is posted as the page rendered it: the boxes checked are read from
the list, the numbers a script would gather go into the form's ``numbers``
field, and a confirmation is posted as it came. Only the forged posts add
what no page offered. Jobs run when their request commits (huey runs tasks
inline in the tests), so each press runs in ``on_commit`` capture.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pytest
from django.test import Client
from django.urls import reverse

from mail.models import OutgoingKind, OutgoingMail
from tests.conftest import SETUP
from tests.panel.helpers import open_tickets, refreshed, rendered_form
from tests.panel.test_move import elements
from tickets import actions, mass
from tickets.models import MassAction, MassJob, MassJobState, Status, Ticket

TODAY = "/panel/tickets/received/today/"
KEY = "received-today"


@pytest.fixture
def post(django_capture_on_commit_callbacks) -> Callable[..., object]:
    """Post and follow the redirects; the jobs the request asked for run as it commits."""

    def posting(client: Client, url: str, data: dict[str, object]):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data)
        if response.status_code != 302:
            response.redirect_chain = []
            return response
        # Followed once the request's transaction (and the job it started) is done.
        followed = client.get(response["Location"], follow=True)
        followed.redirect_chain = [(response["Location"], 302), *followed.redirect_chain]
        return followed

    return posting


@pytest.fixture
def press(post) -> Callable[..., object]:
    """``press(client, "close", tickets, priority="70")``: check the tickets' boxes on
    today's list, type what is given, press the button and follow to where it leads."""

    def pressing(
        client: Client,
        button: str,
        tickets: Iterable[Ticket] = (),
        *,
        url: str = TODAY,
        key: str = KEY,
        **typed: object,
    ):
        page = list_page(client, url)
        found = elements(page)
        data = rendered_form(page, f"mass-{key}")
        boxes = [found.by_id[f"select-{key}-{ticket.number}"] for ticket in tickets]
        assert {(box["form"], box["name"]) for box in boxes} <= {(f"mass-{key}", "ticket")}
        data["ticket"] = [box["value"] or "" for box in boxes]
        data.update(typed)
        action = found.by_id[f"mass-{key}-{button}"]["formaction"] or ""
        return post(client, action, data)

    return pressing


@pytest.fixture
def confirm(post) -> Callable[..., object]:
    """Press the confirmation page's button, posting its form as rendered."""

    def confirming(client: Client, response) -> object:
        page = response.content.decode()
        data = rendered_form(page, "mass-confirm")
        action = re.search(r'<form method="post" action="([^"]+)" id="mass-confirm">', page)
        assert action is not None, page
        return post(client, action[1], data)

    return confirming


def list_page(client: Client, url: str = TODAY) -> str:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def job_of(response) -> MassJob:
    """The job whose page the response ended on."""
    path = response.redirect_chain[-1][0]
    match = re.match(r"/panel/mass/(\d+)/", path)
    assert match is not None, response.redirect_chain
    return MassJob.objects.get(pk=int(match[1]))


def counts(page: str) -> dict[str, str]:
    return {
        name: re.search(rf'<dd id="mass-job-{name}">([^<]*)</dd>', page)[1]  # type: ignore[index]
        for name in ("done", "skipped", "refused")
    }


def refusals(page: str) -> list[str]:
    items = re.findall(r'<li><a href="/panel/tickets/(\d+)/">#\d+</a>: (.*?)</li>', page)
    return [f"#{number}: {reason}" for number, reason in items]


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)


def statuses(tickets: Iterable[Ticket]) -> list[str]:
    return [refreshed(ticket).status for ticket in tickets]


# Each action, end to end -------------------------------------------------------


def test_close_leads_to_the_jobs_page_which_says_what_was_done(world, as_user, press):
    tickets = open_tickets(3, world.billing)
    untouched = open_tickets(1, world.billing)[0]
    response = press(as_user(world.supervisor), "close", tickets)
    page = response.content.decode()
    job = job_of(response)
    assert response.redirect_chain == [
        (f"/panel/mass/{job.pk}/?next={TODAY.replace('/', '%2F')}", 302)
    ]
    assert '<h1 id="mass-job-title">Close 3 tickets, telling the customers</h1>' in page
    assert '<h2 id="mass-job-state">Done</h2>' in page
    assert counts(page) == {"done": "3", "skipped": "0", "refused": "0"}
    assert '<progress id="mass-job-progress" max="3" value="3"' in page
    assert f'<a href="{TODAY}" id="mass-job-back">' in page
    assert statuses(tickets) == [Status.CLOSED] * 3
    assert refreshed(untouched).status == Status.NEW
    for ticket in tickets:
        assert (
            ticket.events.filter(code="status", new="closed", actor=world.supervisor).count() == 1
        )


def test_closing_again_changes_nothing_and_says_the_tickets_were_so_already(world, as_user, press):
    tickets = open_tickets(2, world.billing)
    actions.close(actor=SETUP, ticket=tickets[0])
    page = press(as_user(world.supervisor), "close", tickets).content.decode()
    assert counts(page) == {"done": "1", "skipped": "1", "refused": "0"}
    assert refreshed(tickets[0]).events.filter(code="status").count() == 1


def closing_notice_queue(world) -> None:
    world.billing.closed_ticket_response = "We closed your ticket."
    world.billing.save()


def tickets_of_three_requesters(world) -> list[Ticket]:
    # Automatic mail is capped per recipient: three people, one ticket each.
    return [
        open_tickets(1, world.billing, requester_email=f"person{n}@c.example")[0] for n in range(3)
    ]


def test_close_telling_the_customers_writes_each_one_the_queues_notice(world, as_user, press):
    closing_notice_queue(world)
    tickets = tickets_of_three_requesters(world)
    press(as_user(world.supervisor), "close", tickets)
    notices = OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED)
    assert sorted(notices.values_list("ticket_id", flat=True)) == [t.number for t in tickets]
    assert {mail.recipient for mail in notices} == {f"person{n}@c.example" for n in range(3)}


def test_close_without_telling_the_customers_writes_them_nothing(world, as_user, press):
    closing_notice_queue(world)
    tickets = tickets_of_three_requesters(world)
    client = as_user(world.supervisor)
    assert 'name="tell_customers" id="mass-received-today-tell" checked' in list_page(client)
    # Unticking the box: a browser then sends no value for it.
    response = press(client, "close", tickets, tell_customers=[])
    assert "Close 3 tickets without telling the customers" in response.content.decode()
    assert statuses(tickets) == [Status.CLOSED] * 3
    assert not OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED).exists()
    # The single close of the ticket page still tells.
    single = tickets_of_three_requesters(world)[0]
    actions.close(actor=world.supervisor, ticket=single)
    assert OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED, ticket=single).count() == 1


def test_assign_hands_the_checked_tickets_to_the_chosen_person(world, as_user, press):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    options = elements(list_page(client)).options[f"mass-{KEY}-assignee"]
    agent = next(value for value, label, _ in options if label == "agent")
    response = press(client, "assign", tickets, assignee=agent)
    assert "Assign 2 tickets to agent" in response.content.decode()
    assert [refreshed(t).assignee for t in tickets] == [world.agent] * 2
    assert statuses(tickets) == [Status.OPEN] * 2


def test_move_takes_the_checked_tickets_to_the_chosen_queue(world, as_user, press):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    options = elements(list_page(client)).options[f"mass-{KEY}-queue"]
    support = next(value for value, label, _ in options if label == "Support")
    response = press(client, "move", tickets, queue=support)
    assert "Move 2 tickets to Support" in response.content.decode()
    assert [refreshed(t).queue for t in tickets] == [world.support] * 2


def test_an_agent_sets_the_priority_of_their_tickets(world, as_user, press):
    tickets = open_tickets(2, world.billing, assignee=world.agent)
    response = press(as_user(world.agent), "priority-set", tickets, priority="80")
    page = response.content.decode()
    assert "Set the priority of 2 tickets to 80" in page
    assert counts(page)["done"] == "2"
    assert [refreshed(t).priority for t in tickets] == [80, 80]


@pytest.mark.parametrize("typed", ["", "0", "100", "high", "9" * 30])
def test_a_priority_that_is_no_number_from_1_to_99_is_refused_with_a_message(
    world, as_user, press, typed
):
    ticket = open_tickets(1, world.billing, assignee=world.agent)[0]
    response = press(as_user(world.agent), "priority-set", [ticket], priority=typed)
    assert response.redirect_chain == [(TODAY, 302)]
    assert flashes(response.content.decode()) == ["Priority must be a number from 1 to 99."]
    assert refreshed(ticket).version == ticket.version
    assert not MassJob.objects.exists()


def test_delete_asks_first_naming_the_tickets_then_deletes_them(world, as_user, press, confirm):
    tickets = open_tickets(2, world.billing, title="Spam")
    client = as_user(world.supervisor)
    response = press(client, "delete", tickets)
    page = response.content.decode()
    assert "Delete these tickets permanently?" in page
    assert "2 selected tickets." in page
    listed = re.search(r'<ul id="delete-list">(.*?)</ul>', page, re.S)[1]  # type: ignore[index]
    assert [f"#{t.number}" in listed for t in tickets] == [True, True]
    assert Ticket.objects.filter(number__in=[t.number for t in tickets]).count() == 2
    response = confirm(client, response)
    assert "Delete 2 tickets permanently" in response.content.decode()
    assert counts(response.content.decode())["done"] == "2"
    assert not Ticket.objects.filter(number__in=[t.number for t in tickets]).exists()


# Refused per role ----------------------------------------------------------------


def test_an_agent_is_offered_close_and_priority_only_and_a_forged_post_is_refused(world, as_user):
    ticket = open_tickets(1, world.billing, assignee=world.agent)[0]
    client = as_user(world.agent)
    page = list_page(client)
    ids = elements(page).by_id
    assert {f"mass-{KEY}-close", f"mass-{KEY}-priority-set"} <= set(ids)
    assert not {f"mass-{KEY}-delete", f"mass-{KEY}-assign", f"mass-{KEY}-move"} & set(ids)
    forged = {**rendered_form(page, f"mass-{KEY}"), "ticket": [str(ticket.number)]}
    for name in ("mass_delete", "mass_delete_confirmed", "mass_assign", "mass_move"):
        response = client.post(
            reverse(f"panel:{name}"),
            {**forged, "assignee": world.agent.pk, "queue": world.support.pk, "confirmed": "yes"},
        )
        assert response.status_code == 403, name
    assert Ticket.objects.filter(number=ticket.number, version=ticket.version).exists()
    assert not MassJob.objects.exists()


def test_a_customer_may_not_ask_for_a_mass_action(world, as_user):
    ticket = world.ticket()
    client = as_user(world.customer_a)
    for name in ("mass_close", "mass_priority", "mass_assign", "mass_move", "mass_delete"):
        response = client.post(reverse(f"panel:{name}"), {"ticket": [ticket.number], "priority": 9})
        assert response.status_code == 403
    assert refreshed(ticket).version == 1


def test_a_supervisor_moving_a_ticket_of_a_queue_they_lack_is_refused_for_it_alone(
    world, as_user, press
):
    mine = open_tickets(2, world.billing)
    theirs = world.ticket(queue=world.sales)
    actions.assign(actor=SETUP, ticket=theirs, assignee=world.supervisor)
    client = as_user(world.supervisor)
    options = elements(list_page(client)).options[f"mass-{KEY}-queue"]
    support = next(value for value, label, _ in options if label == "Support")
    page = press(client, "move", [mine[0], theirs, mine[1]], queue=support).content.decode()
    assert counts(page) == {"done": "2", "skipped": "0", "refused": "1"}
    assert refusals(page) == [
        f"#{theirs.number}: You may move tickets only between queues you are entitled to; "
        "Sales → Support is not."
    ]
    assert [refreshed(t).queue for t in (*mine, theirs)] == [world.support] * 2 + [world.sales]


def test_a_queue_the_supervisor_may_not_move_to_is_refused_before_any_job(world, as_user, press):
    ticket = open_tickets(1, world.billing)[0]
    response = press(as_user(world.supervisor), "move", [ticket], queue=str(world.sales.pk))
    assert flashes(response.content.decode()) == ["Choose the queue to move the tickets to."]
    assert not MassJob.objects.exists()


# Refused per ticket ----------------------------------------------------------------


def test_a_ticket_changed_after_the_list_showed_it_is_refused_and_says_how(world, as_user, post):
    tickets = open_tickets(3, world.billing)
    client = as_user(world.supervisor)
    page = list_page(client)
    actions.change(actor=world.admin, ticket=tickets[1], priority=70)
    found = elements(page)
    data = {
        **rendered_form(page, f"mass-{KEY}"),
        "ticket": [found.by_id[f"select-{KEY}-{t.number}"]["value"] or "" for t in tickets],
    }
    page = post(client, reverse("panel:mass_close"), data).content.decode()
    assert counts(page) == {"done": "2", "skipped": "0", "refused": "1"}
    assert refusals(page) == [
        f"#{tickets[1].number}: changed since it was selected: "
        f"admin changed the priority: {tickets[1].priority} → 70."
    ]
    assert statuses(tickets) == [Status.CLOSED, Status.NEW, Status.CLOSED]


def test_tickets_not_visible_and_not_there_are_refused_alike(world, as_user, post):
    mine = open_tickets(1, world.billing)[0]
    hidden = world.ticket(queue=world.sales)
    client = as_user(world.supervisor)
    data = {
        **rendered_form(list_page(client), f"mass-{KEY}"),
        "ticket": [str(mine.number), str(hidden.number), "999999"],
    }
    page = post(client, reverse("panel:mass_close"), data).content.decode()
    assert refusals(page) == [f"#{hidden.number}: no such ticket.", "#999999: no such ticket."]
    assert (refreshed(mine).status, refreshed(hidden).status) == (Status.CLOSED, Status.NEW)


@pytest.mark.parametrize("value", ["12x", "-3", "1:2:3", "1" * 19, "<script>"])
def test_a_selection_that_is_no_ticket_number_gets_a_message(world, as_user, value):
    client = as_user(world.supervisor)
    open_tickets(1, world.billing)
    data = {**rendered_form(list_page(client), f"mass-{KEY}"), "numbers": value}
    response = client.post(reverse("panel:mass_close"), data, follow=True)
    assert response.status_code == 200
    assert flashes(response.content.decode())[0].endswith("is not a ticket number.")
    assert not MassJob.objects.exists()


def test_nothing_selected_says_so(world, as_user):
    client = as_user(world.supervisor)
    open_tickets(1, world.billing)
    data = rendered_form(list_page(client), f"mass-{KEY}")
    response = client.post(reverse("panel:mass_close"), data, follow=True)
    assert flashes(response.content.decode()) == ["Select at least one ticket first."]


# Many tickets ------------------------------------------------------------------------


def test_1500_tickets_go_in_one_request_confirmed_first(world, as_user, confirm, press):
    """Django refuses a form of more than 1,000 fields: the numbers travel in one."""
    tickets = open_tickets(1500, world.billing)
    client = as_user(world.supervisor)
    numbers = " ".join(str(ticket.number) for ticket in tickets)
    response = press(client, "close", numbers=numbers)
    page = response.content.decode()
    assert "<h1>Close 1,500 tickets, telling the customers?</h1>" in page
    assert '<p id="mass-confirm-count">1,500 selected tickets.</p>' in page
    assert not Ticket.objects.filter(status=Status.CLOSED).exists()
    response = confirm(client, response)
    page = response.content.decode()
    assert counts(page) == {"done": "1,500", "skipped": "0", "refused": "0"}
    assert Ticket.objects.filter(status=Status.CLOSED).count() == 1500
    assert job_of(response).total == 1500


def test_cancelling_the_confirmation_does_nothing(world, as_user, press):
    tickets = open_tickets(101, world.billing)
    client = as_user(world.supervisor)
    response = press(client, "close", numbers=" ".join(str(t.number) for t in tickets))
    cancel = re.search(r'<a href="([^"]+)">Cancel</a>', response.content.decode())
    assert cancel is not None and cancel[1] == TODAY
    assert not MassJob.objects.exists()


def test_more_than_the_selection_limit_is_refused_with_a_message(world, as_user, monkeypatch):
    monkeypatch.setattr(mass, "MAX_SELECTED", 3)
    client = as_user(world.supervisor)
    open_tickets(1, world.billing)
    data = {
        **rendered_form(list_page(client), f"mass-{KEY}"),
        "numbers": "1 2 3 4",
    }
    response = client.post(reverse("panel:mass_close"), data, follow=True)
    assert flashes(response.content.decode()) == [
        "At most 3 tickets may be selected at once; "
        "a mass action on all results of a search has no limit."
    ]


# All results of a search ---------------------------------------------------------------


def test_all_results_of_an_advanced_search_are_closed_not_only_the_page_shown(
    world, as_user, press
):
    found = [world.ticket(world.billing, priority=80, title=f"Found {n}") for n in range(30)]
    low = world.ticket(world.billing, priority=10)
    elsewhere = world.ticket(world.support, priority=90)
    url = f"/panel/search/advanced/?queue={world.billing.pk}&priority_min=60"
    client = as_user(world.supervisor)
    page = list_page(client, url)
    assert page.count('name="ticket"') == 25  # one page of the 30
    assert "or with all 30 results of this search" in page
    response = press(client, "close", url=url, key="advanced", all_results="yes")
    page = response.content.decode()
    assert "Close 30 tickets, telling the customers" in page
    assert "On all results of a search, as they are when each batch runs." in page
    assert counts(page) == {"done": "30", "skipped": "0", "refused": "0"}
    assert statuses(found) == [Status.CLOSED] * 30
    assert statuses([low, elsewhere]) == [Status.NEW, Status.NEW]


def test_all_results_are_those_the_person_sees(world, as_user, press):
    theirs = open_tickets(2, world.billing, assignee=world.agent)
    others = open_tickets(2, world.billing, assignee=world.other_agent)
    url = f"/panel/search/advanced/?queue={world.billing.pk}"
    page = press(
        as_user(world.agent),
        "priority-set",
        url=url,
        key="advanced",
        all_results="yes",
        priority="9",
    ).content.decode()
    assert counts(page)["done"] == "2"
    assert [refreshed(t).priority for t in theirs] == [9, 9]
    assert [refreshed(t).priority for t in others] == [t.priority for t in others]


def test_more_than_a_hundred_results_are_confirmed_with_their_number(
    world, as_user, press, confirm
):
    tickets = open_tickets(120, world.billing)
    url = f"/panel/search/advanced/?queue={world.billing.pk}"
    client = as_user(world.supervisor)
    response = press(client, "close", url=url, key="advanced", all_results="yes")
    page = response.content.decode()
    assert "<h1>Close 120 tickets, telling the customers?</h1>" in page
    assert "All 120 results of the search, as you may see them when the job runs." in page
    assert statuses(tickets[:1]) == [Status.NEW]
    page = confirm(client, response).content.decode()
    assert counts(page)["done"] == "120"
    assert statuses(tickets) == [Status.CLOSED] * 120


@pytest.mark.parametrize(
    ("criteria", "message"),
    [
        ("priority_min=high", "Enter a whole number."),
        ("queue=999999", "Select a valid choice. 999999 is not one of the available choices."),
        ("priority_min=99", "The search finds no ticket."),
    ],
)
def test_a_search_that_does_not_read_or_finds_nothing_gets_a_message(
    world, as_user, criteria, message
):
    open_tickets(1, world.billing)
    client = as_user(world.supervisor)
    url = f"/panel/search/advanced/?queue={world.billing.pk}"
    forged = {
        **rendered_form(list_page(client, url), "mass-advanced"),
        "all_results": "yes",
        "criteria": criteria,
    }
    response = client.post(reverse("panel:mass_close"), forged, follow=True)
    assert response.status_code == 200
    assert flashes(response.content.decode()) == [message]
    assert not MassJob.objects.exists()


# The job's page ---------------------------------------------------------------------


def queued_job(world, django_capture_on_commit_callbacks) -> MassJob:
    """A job the worker has not started: its task is never run here."""
    tickets = open_tickets(1, world.billing, assignee=world.agent)
    with django_capture_on_commit_callbacks(execute=False):
        return mass.start(
            owner=world.agent,
            action=MassAction.CLOSE,
            numbers=[(t.number, None) for t in tickets],
        )


@pytest.mark.parametrize(
    ("person", "status"),
    [
        ("agent", 200),
        ("admin", 200),
        ("other_agent", 404),
        ("supervisor", 404),
        ("customer_a", 403),
    ],
)
def test_a_jobs_page_is_for_its_owner_and_administrators(
    world, client, django_capture_on_commit_callbacks, person, status
):
    job = queued_job(world, django_capture_on_commit_callbacks)
    client.force_login(getattr(world, person))
    assert client.get(f"/panel/mass/{job.pk}/").status_code == status


def test_a_jobs_page_sends_a_visitor_to_sign_in(world, client, django_capture_on_commit_callbacks):
    job = queued_job(world, django_capture_on_commit_callbacks)
    response = client.get(f"/panel/mass/{job.pk}/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_a_waiting_job_is_followed_every_second_and_reloads_without_javascript(
    world, as_user, django_capture_on_commit_callbacks
):
    job = queued_job(world, django_capture_on_commit_callbacks)
    client = as_user(world.agent)
    page = client.get(f"/panel/mass/{job.pk}/").content.decode()
    assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in page
    assert f'hx-get="/panel/mass/{job.pk}/" hx-trigger="every 1s"' in page
    assert "Waiting for the worker" in page
    part = client.get(f"/panel/mass/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert part.strip().startswith('<section id="mass-job"') and "<html" not in part
    mass.run(job.pk)
    part = client.get(f"/panel/mass/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in part and "Done" in part
    page = client.get(f"/panel/mass/{job.pk}/").content.decode()
    assert "http-equiv" not in page


def test_my_recent_mass_actions_are_listed_and_nobody_elses(world, as_user, press):
    open_tickets(1, world.billing, assignee=world.agent)
    ticket = open_tickets(1, world.billing)[0]
    press(as_user(world.supervisor), "close", [ticket])
    client = as_user(world.agent)
    assert (
        "You have not asked for any mass action yet." in client.get("/panel/mass/").content.decode()
    )
    page = as_user(world.supervisor).get("/panel/mass/").content.decode()
    job = MassJob.objects.get()
    assert f'<a href="/panel/mass/{job.pk}/">Close 1 ticket, telling the customer</a>' in page


def test_a_failed_job_says_what_stopped_it_and_that_the_rest_is_untouched(
    world, as_user, django_capture_on_commit_callbacks
):
    job = queued_job(world, django_capture_on_commit_callbacks)
    MassJob.objects.filter(pk=job.pk).update(
        state=MassJobState.FAILED, error="OperationalError: disk I/O error"
    )
    page = as_user(world.agent).get(f"/panel/mass/{job.pk}/").content.decode()
    assert (
        "Stopped by an error: OperationalError: disk I/O error. The tickets counted above "
        "were handled; the others were not touched."
    ) in page
