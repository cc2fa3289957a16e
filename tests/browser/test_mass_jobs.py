"""Mass actions in a real browser: the checked rows travel in one field, and the
job's page follows the worker without being reloaded (or reloads itself without
JavaScript)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from playwright.sync_api import expect

from tests.browser.conftest import screenshot
from tests.panel.helpers import refreshed
from tickets import actions, mass
from tickets.models import MassAction, Status


def test_checked_rows_are_sent_in_one_field_and_the_jobs_page_says_what_was_done(world, open_page):
    tickets = [world.ticket(world.billing, title=f"Old printer {n}") for n in range(4)]
    page = open_page(world.supervisor)
    page.goto("/panel/tickets/unassigned/")
    for ticket in tickets:
        page.locator(f"#select-unassigned-{ticket.number}").check()
    page.locator("#mass-unassigned-tell").uncheck()
    # Somebody changes one of them after the list showed it.
    actions.change(actor=world.admin, ticket=tickets[1], priority=90)
    with page.expect_request(re.compile(r"/panel/tickets/mass/close/$")) as sent:
        page.locator("#mass-unassigned-close").click()
    posted = parse_qs(sent.value.post_data or "")
    assert "ticket" not in posted
    # Newest first, as the list shows them: each number with the version the row showed.
    assert posted["numbers"][0].split() == [f"{t.number}:{t.version}" for t in reversed(tickets)]
    expect(page).to_have_url(re.compile(r"/panel/mass/\d+/\?next="))
    expect(page.locator("#mass-job-title")).to_have_text(
        "Close 4 tickets without telling the customers"
    )
    expect(page.locator("#mass-job-state")).to_have_text("Done")
    expect(page.locator("#mass-job-done")).to_have_text("3")
    expect(page.locator("#mass-job-refusals")).to_have_text(
        f"#{tickets[1].number}: changed since it was selected: admin changed the priority: 50 → 90."
    )
    assert [refreshed(t).status for t in tickets] == [
        Status.CLOSED,
        Status.NEW,
        Status.CLOSED,
        Status.CLOSED,
    ]
    screenshot(page, "mass-action")
    page.locator("#mass-job-back").click()
    expect(page).to_have_url(re.compile(r"/panel/tickets/unassigned/$"))


def queued(world, monkeypatch):
    """A job left to the worker, which does not run in these tests."""
    monkeypatch.setattr(mass, "RUN_IN_REQUEST_UP_TO", 0)
    monkeypatch.setattr(mass, "enqueue", lambda job_id: None)
    tickets = [world.ticket(world.billing) for _ in range(2)]
    job = mass.start(
        owner=world.supervisor,
        action=MassAction.PRIORITY,
        numbers=[(t.number, None) for t in tickets],
        priority=77,
    )
    return job, tickets


def test_the_jobs_page_follows_the_worker_and_stops_asking_when_it_is_done(
    world, open_page, monkeypatch
):
    job, tickets = queued(world, monkeypatch)
    page = open_page(world.supervisor)
    page.goto(f"/panel/mass/{job.pk}/")
    expect(page.locator("#mass-job-state")).to_have_text("Waiting for the worker")
    mass.run(job.pk)  # the worker
    expect(page.locator("#mass-job-state")).to_have_text("Done")
    expect(page.locator("#mass-job-done")).to_have_text("2")
    expect(page.locator("#mass-job-progress")).to_have_attribute("value", "2")
    assert page.locator("#mass-job[hx-trigger]").count() == 0
    assert [refreshed(t).priority for t in tickets] == [77, 77]


def test_without_javascript_the_jobs_page_reloads_itself_until_done(world, open_page, monkeypatch):
    job, _tickets = queued(world, monkeypatch)
    page = open_page(world.supervisor, javascript=False)
    page.goto(f"/panel/mass/{job.pk}/")
    expect(page.locator("#mass-job-state")).to_have_text("Waiting for the worker")
    mass.run(job.pk)
    expect(page.locator("#mass-job-state")).to_have_text("Done", timeout=10_000)
