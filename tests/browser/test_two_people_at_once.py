"""Two people on the same ticket, each in a browser context of their own."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import MessageKind


def test_two_supervisors_pick_up_the_same_ticket_and_the_second_is_told_who_has_it(
    world, open_page
):
    ticket = world.ticket(title="Serveur en panne")
    first, second = open_page(world.supervisor), open_page(world.other_supervisor)
    for page in (first, second):
        page.goto("/panel/")
    first.get_by_role("button", name=f"Pick Up #{ticket.number}").click()
    expect(first.locator(f"#pick-up-{ticket.number}")).to_have_text("Picked up: yours now.")
    second.get_by_role("button", name=f"Pick Up #{ticket.number}").click()
    expect(second.locator(f"#pick-up-{ticket.number}")).to_have_text("Already picked up by super.")
    assert refreshed(ticket).assignee == world.supervisor


def test_a_stale_page_shows_what_changed_and_keeps_the_typed_answer(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    mine, theirs = open_page(world.supervisor), open_page(world.admin)
    mine.goto(f"/panel/tickets/{ticket.number}/")
    answer = mine.get_by_role("textbox", name="Answer", exact=True)
    answer.fill("An answer typed while somebody else works on the ticket")

    theirs.goto(f"/panel/tickets/{ticket.number}/")
    theirs.get_by_label("Status").select_option(label="On hold")
    theirs.get_by_role("button", name="Change", exact=True).first.click()
    expect(theirs.locator("#fact-status")).to_have_text("On hold")

    # A change from the stale property panel is refused; the answer is not touched.
    mine.get_by_label("Priority").fill("90")
    mine.get_by_role("button", name="Change", exact=True).first.click()
    conflict = mine.locator("#properties .conflict")
    expect(conflict).to_contain_text("was changed while you were working on it")
    expect(conflict).to_contain_text("admin changed the status: Open → On hold")
    expect(answer).to_have_value("An answer typed while somebody else works on the ticket")

    # The answer was typed on the old ticket too: sending it names the change first.
    mine.get_by_role("button", name="Send", exact=True).click()
    expect(mine.locator(".answer .conflict")).to_contain_text("admin changed the status")
    answer = mine.get_by_role("textbox", name="Answer", exact=True)
    expect(answer).to_have_value("An answer typed while somebody else works on the ticket")
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()

    mine.get_by_role("button", name="Send", exact=True).click()
    expect(mine.locator(".message-answer")).to_contain_text("typed while somebody else")
    assert refreshed(ticket).priority == 50
