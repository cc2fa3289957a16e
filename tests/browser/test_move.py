"""Moving a ticket to another queue from its page, in a real browser (S22)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import MessageKind

TYPED = "Half of a long answer about the refund,\nstill being written…"


def test_a_ticket_moves_to_another_queue_while_an_answer_is_typed_and_the_answer_is_kept(
    world, open_page
):
    ticket = actions.assign(
        actor=SETUP, ticket=world.ticket(queue=world.billing), assignee=world.supervisor
    )
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    answer.fill(TYPED)
    page.get_by_label("Queue", exact=True).select_option(label="Support")
    page.get_by_role("button", name="Change", exact=True).first.click()
    expect(page.locator("#fact-queue")).to_have_text("Support")
    expect(page.locator("#properties .notice")).to_have_text("Changes saved.")
    expect(page.get_by_label("Queue", exact=True)).to_have_value(str(world.support.pk))
    expect(answer).to_have_value(TYPED)
    # htmx swapped the property panel alone: the page never left the ticket.
    expect(page).to_have_url(re.compile(rf"/panel/tickets/{ticket.number}/$"))
    assert refreshed(ticket).queue == world.support

    # The answer form's version followed the move: sending it meets no conflict.
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".message-answer")).to_contain_text("still being written…")
    expect(page.locator(".conflict")).to_have_count(0)
    assert refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).count() == 1
