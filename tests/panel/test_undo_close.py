"""The "Closed. Undo" of the ticket page: a close taken back for a few seconds after it.

The undo is posted as the page rendered it (its form and token); the server
decides whether it is still good, whatever the page shows.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from mail.models import OutgoingKind, OutgoingMail, OutgoingState
from panel import undo
from tests.conftest import SETUP
from tests.panel.helpers import htmx, refreshed, rendered_form
from tickets import actions
from tickets.models import Status, Ticket


@pytest.fixture
def ticket(world) -> Ticket:
    """A billing ticket the agent works on (open)."""
    ticket = world.ticket(queue=world.billing)
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def close(client: Client, ticket: Ticket, **headers: str):
    """Press Close on the ticket page as rendered (the property panel's version)."""
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    version = rendered_form(page, "answer-form")["properties_version"]
    return client.post(
        f"/panel/tickets/{ticket.number}/close/", {"properties_version": version}, headers=headers
    )


def undo_offer(page: str) -> tuple[str, dict[str, object]]:
    """Where the page's Undo posts and what."""
    action = re.search(r'<form method="post" action="([^"]+)" class="undo" id="undo-form"', page)
    assert action is not None, page
    return action[1], rendered_form(page, "undo-form")


def press_undo(client: Client, page: str):
    url, data = undo_offer(page)
    return client.post(url, data, follow=True)


def flashes(page: str) -> list[str]:
    return re.findall(r'<p class="flash flash-\w+">(.*?)</p>', page)


def test_closing_offers_an_undo_for_ten_seconds(world, as_user, ticket):
    page = close(as_user(world.agent), ticket, **htmx()).content.decode()
    assert f"Ticket #{ticket.number} closed." in page
    assert 'data-undo-seconds="10"' in page
    assert '<button type="submit" id="undo-button">Undo</button>' in page
    assert "for 10 seconds" in page


def test_undo_brings_the_ticket_back_as_it_was_and_the_history_says_so(world, as_user, ticket):
    client = as_user(world.agent)
    page = close(client, ticket, **htmx()).content.decode()
    response = press_undo(client, page)
    assert response.redirect_chain == [(f"/panel/tickets/{ticket.number}/", 302)]
    assert flashes(response.content.decode()) == [f"Undone: ticket #{ticket.number} is open again."]
    now = refreshed(ticket)
    assert (now.status, now.closed_at) == (Status.OPEN, None)
    statuses = list(now.events.filter(code="status").values_list("old", "new", "actor"))
    assert statuses[-2:] == [("open", "closed", world.agent.pk), ("closed", "open", world.agent.pk)]
    history = response.content.decode().split('<ol id="history"')[1]
    assert history.index("Closed") < history.rindex("Open")


def test_without_javascript_the_ticket_page_offers_the_undo_once(world, as_user, ticket):
    client = as_user(world.agent)
    response = close(client, ticket)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"Ticket #{ticket.number} closed." in flashes(page)
    url, _data = undo_offer(page)
    assert url == f"/panel/tickets/{ticket.number}/close/undo/"
    assert 'id="undo-form"' not in client.get(response["Location"]).content.decode()
    press_undo(client, page)
    assert refreshed(ticket).status == Status.OPEN


def test_an_undo_after_its_time_is_refused_and_changes_nothing(world, as_user, ticket):
    client = as_user(world.agent)
    page = close(client, ticket, **htmx()).content.decode()
    later = timezone.now() + timedelta(seconds=undo.UNDO_SECONDS + undo.GRACE_SECONDS + 1)
    with time_machine.travel(later, tick=False):
        response = press_undo(client, page)
    assert flashes(response.content.decode()) == [
        "Too late to undo: the undo is offered for 10 seconds."
    ]
    assert refreshed(ticket).status == Status.CLOSED


def test_a_click_at_the_last_moment_still_undoes(world, as_user, ticket):
    client = as_user(world.agent)
    page = close(client, ticket, **htmx()).content.decode()
    with time_machine.travel(timezone.now() + timedelta(seconds=undo.UNDO_SECONDS + 1)):
        press_undo(client, page)
    assert refreshed(ticket).status == Status.OPEN


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"),
        lambda token: "",
        lambda token: token.replace(":", ";", 1),
    ],
    ids=["signature", "missing", "mangled"],
)
def test_a_tampered_undo_is_refused(world, as_user, ticket, tamper):
    client = as_user(world.agent)
    url, data = undo_offer(close(client, ticket, **htmx()).content.decode())
    data["token"] = tamper(str(data["token"]))
    response = client.post(url, data, follow=True)
    assert flashes(response.content.decode()) == ["This undo is not valid; nothing was changed."]
    assert refreshed(ticket).status == Status.CLOSED


def test_the_undo_of_one_ticket_does_not_reopen_another(world, as_user, ticket):
    client = as_user(world.agent)
    other = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    _url, data = undo_offer(close(client, ticket, **htmx()).content.decode())
    close(client, other, **htmx())
    response = client.post(f"/panel/tickets/{other.number}/close/undo/", data, follow=True)
    assert flashes(response.content.decode()) == ["This undo is for another ticket."]
    assert refreshed(other).status == Status.CLOSED


def test_a_change_since_the_close_is_named_and_nothing_is_undone(world, as_user, ticket):
    client = as_user(world.agent)
    page = close(client, ticket, **htmx()).content.decode()
    actions.change(actor=world.admin, ticket=ticket, priority=80)
    response = press_undo(client, page)
    assert flashes(response.content.decode()) == [
        f"Not undone: ticket #{ticket.number} was changed since it was closed: "
        "admin changed the priority: 50 → 80."
    ]
    assert refreshed(ticket).status == Status.CLOSED


def test_somebody_else_may_not_use_the_undo(world, as_user, ticket):
    page = close(as_user(world.supervisor), ticket, **htmx()).content.decode()
    url, data = undo_offer(page)
    # The agent sees the ticket, but did not close it and does not supervise.
    response = as_user(world.agent).post(url, data)
    assert response.status_code == 403
    assert refreshed(ticket).status == Status.CLOSED


def test_a_supervisor_may_undo_a_close_of_their_team(world, as_user, ticket):
    page = close(as_user(world.agent), ticket, **htmx()).content.decode()
    url, data = undo_offer(page)
    as_user(world.supervisor).post(url, data)
    assert refreshed(ticket).status == Status.OPEN


def test_nobody_who_cannot_see_the_ticket_learns_of_it(world, as_user, ticket):
    page = close(as_user(world.agent), ticket, **htmx()).content.decode()
    url, data = undo_offer(page)
    assert as_user(world.other_agent).post(url, data).status_code == 404
    assert as_user(world.customer_a).post(url, data).status_code == 403


def test_the_closing_notice_waits_while_the_close_may_be_undone_and_undo_withdraws_it(
    world, as_user, ticket, mailoutbox, django_capture_on_commit_callbacks
):
    world.billing.closed_ticket_response = "We closed your ticket."
    world.billing.save()
    client = as_user(world.agent)
    with django_capture_on_commit_callbacks(execute=True):
        page = close(client, ticket, **htmx()).content.decode()
    (notice,) = OutgoingMail.objects.filter(ticket=ticket, kind=OutgoingKind.CLOSED)
    assert notice.state == OutgoingState.QUEUED
    assert notice.next_attempt_at > timezone.now() + timedelta(seconds=undo.UNDO_SECONDS)
    assert mailoutbox == []
    press_undo(client, page)
    assert not OutgoingMail.objects.filter(ticket=ticket, kind=OutgoingKind.CLOSED).exists()


def test_closing_a_ticket_closed_meanwhile_offers_nothing_to_undo(world, as_user, ticket):
    # Two tabs: the second one's Close comes after the first one closed it.
    client = as_user(world.agent)
    page = close(client, ticket, **htmx()).content.decode()
    assert 'id="undo-form"' in page
    version = refreshed(ticket).version
    response = client.post(
        f"/panel/tickets/{ticket.number}/close/", {"properties_version": version}, headers=htmx()
    )
    assert 'id="undo-form"' not in response.content.decode()
    assert refreshed(ticket).version == version
