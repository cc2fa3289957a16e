"""The "Closed. Undo" of a mass close's page: what the job closed, taken back for a few seconds."""

# The mass forms' fixtures (post, press) come from their own module: F811 is pytest's way.
# ruff: noqa: F811

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.conftest import SETUP
from tests.panel.helpers import open_tickets, refreshed, rendered_form
from tests.panel.test_mass_jobs import (  # noqa: F401 - post and press are fixtures
    TODAY,
    flashes,
    job_of,
    post,
    press,
    statuses,
)
from tickets import actions, mass
from tickets.models import MassJob, Status


def undo_offer(page: str) -> tuple[str, dict[str, object]]:
    action = re.search(r'<form method="post" action="([^"]+)" class="undo" id="undo-form"', page)
    assert action is not None, page
    return action[1], rendered_form(page, "undo-form")


def test_the_job_page_offers_to_undo_and_undo_reopens_what_it_closed(world, as_user, press, post):
    tickets = open_tickets(3, world.billing)
    actions.assign(actor=SETUP, ticket=tickets[0], assignee=world.supervisor)
    closed_before = open_tickets(1, world.billing)[0]
    actions.close(actor=SETUP, ticket=closed_before)
    client = as_user(world.supervisor)
    response = press(client, "close", [*tickets, closed_before])
    assert statuses(tickets) == [Status.CLOSED] * 3
    url, data = undo_offer(response.content.decode())
    assert url == f"/panel/mass/{job_of(response).pk}/undo/"
    undone = post(client, url, data)
    assert undone.redirect_chain[0] == (TODAY, 302)
    assert flashes(undone.content.decode()) == ["Undone: 3 tickets are open again."]
    # Each as it was before; the one closed before the job stays closed.
    assert statuses(tickets) == [Status.OPEN, Status.NEW, Status.NEW]
    assert refreshed(closed_before).status == Status.CLOSED
    for ticket in tickets:
        last = refreshed(ticket).events.order_by("-id")[0]
        assert (last.code, last.old, last.actor) == ("status", "closed", world.supervisor)


def test_a_ticket_changed_since_is_refused_with_the_reason_the_others_reopen(
    world, as_user, press, post
):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    response = press(client, "close", tickets)
    actions.change(actor=world.admin, ticket=tickets[1], priority=90)
    undone = post(client, *undo_offer(response.content.decode()))
    assert flashes(undone.content.decode()) == [
        "Undone: 1 ticket is open again.",
        f"Not undone: #{tickets[1].number} changed since it was closed: "
        "admin changed the priority: 2 → 90.",
    ]
    assert statuses(tickets) == [Status.NEW, Status.CLOSED]


def test_the_offer_ends_with_its_time_and_a_late_undo_is_refused(world, as_user, press, post):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    response = press(client, "close", tickets)
    url, data = undo_offer(response.content.decode())
    job = job_of(response)
    later = timezone.now() + timedelta(seconds=16)
    with time_machine.travel(later, tick=False):
        assert 'id="undo-form"' not in client.get(f"/panel/mass/{job.pk}/").content.decode()
        refused = post(client, url, data)
    assert flashes(refused.content.decode()) == [
        "Too late to undo: the undo is offered for 10 seconds."
    ]
    assert statuses(tickets) == [Status.CLOSED] * 2


def test_a_reloaded_page_does_not_start_the_time_again(world, as_user, press, post):
    tickets = open_tickets(1, world.billing)
    client = as_user(world.supervisor)
    job = job_of(press(client, "close", tickets))
    MassJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - timedelta(seconds=60))
    # A fresh token from a page of the time would still be refused by the job's end.
    url = f"/panel/mass/{job.pk}/"
    assert 'id="undo-form"' not in client.get(url).content.decode()


def test_only_the_owner_or_an_administrator_reaches_the_undo(world, as_user, press, post):
    tickets = open_tickets(2, world.billing)
    response = press(as_user(world.supervisor), "close", tickets)
    url, data = undo_offer(response.content.decode())
    assert as_user(world.other_supervisor).post(url, data).status_code == 404
    assert as_user(world.agent).post(url, data).status_code == 404
    assert statuses(tickets) == [Status.CLOSED] * 2
    post(as_user(world.admin), url, data)
    assert statuses(tickets) == [Status.NEW] * 2


def test_a_token_for_another_job_is_refused(world, as_user, press, post):
    client = as_user(world.supervisor)
    first = press(client, "close", open_tickets(1, world.billing))
    second_tickets = open_tickets(1, world.billing)
    second = job_of(press(client, "close", second_tickets))
    _url, data = undo_offer(first.content.decode())
    refused = post(client, f"/panel/mass/{second.pk}/undo/", data)
    assert flashes(refused.content.decode()) == ["This undo is for another mass action."]
    assert statuses(second_tickets) == [Status.CLOSED]


def test_other_mass_actions_offer_no_undo(world, as_user, press):
    tickets = open_tickets(2, world.billing)
    client = as_user(world.supervisor)
    page = press(client, "priority-set", tickets, priority="70").content.decode()
    assert 'id="undo-form"' not in page
    assert not mass.may_undo(job_of(press(client, "priority-set", tickets, priority="71")))


def test_a_close_of_all_results_is_undone_by_a_job_of_its_own(world, as_user, post):
    """More than UNDO_UP_TO tickets: the undo starts a job, whose page says how it went."""
    count = mass.UNDO_UP_TO + 5
    tickets = open_tickets(count, world.billing)
    closed_before = tickets[0]
    actions.close(actor=SETUP, ticket=closed_before)
    job = mass.start(owner=world.supervisor, action="close", criteria="")
    mass.run(job.pk)
    job.refresh_from_db()
    # What the job closed, with the version each close made; not the one closed before.
    assert job.done == count - 1
    assert mass.closed_by(job) == [(t.number, refreshed(t).version) for t in tickets[1:]]
    changed = tickets[1]
    actions.change(actor=world.admin, ticket=changed, priority=90)

    client = as_user(world.supervisor)
    url, data = undo_offer(client.get(f"/panel/mass/{job.pk}/").content.decode())
    undone = post(client, url, data)

    undo_job = job_of(undone)
    assert undo_job.pk != job.pk
    assert (undo_job.action, undo_job.owner, undo_job.state) == (
        "undo_close",
        world.supervisor,
        "done",
    )
    page = undone.content.decode()
    assert f"Reopen {count - 1} tickets a mass close closed" in page
    assert (undo_job.done, undo_job.refused) == (count - 2, 1)
    assert undo_job.refusals == [
        [changed.number, "changed since it was closed: admin changed the priority: 2 → 90."]
    ]
    assert statuses(tickets[2:]) == [Status.NEW] * (count - 2)
    assert statuses([closed_before, changed]) == [Status.CLOSED, Status.CLOSED]
    # The undo's own page offers no undo of it.
    assert 'id="undo-form"' not in page


def test_a_small_close_of_all_results_is_undone_at_once(world, as_user, post):
    tickets = open_tickets(3, world.billing)
    job = mass.start(owner=world.supervisor, action="close", criteria="")
    mass.run(job.pk)
    client = as_user(world.supervisor)
    undone = post(client, *undo_offer(client.get(f"/panel/mass/{job.pk}/").content.decode()))
    assert flashes(undone.content.decode()) == ["Undone: 3 tickets are open again."]
    assert statuses(tickets) == [Status.NEW] * 3
    assert MassJob.objects.count() == 1


def test_an_undo_cannot_be_asked_for_as_a_mass_action_of_its_own(world):
    tickets = open_tickets(1, world.billing)
    with pytest.raises(ValidationError, match="is not a mass action"):
        mass.start(owner=world.admin, action="undo_close", numbers=[(tickets[0].number, 1)])
    assert not MassJob.objects.exists()
