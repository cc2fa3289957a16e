"""Canned replies and macros in a browser: a reply found by typing, inserted with the
keyboard into what is typed and sent; a macro applied with one click."""

from __future__ import annotations

from playwright.sync_api import expect

from accounts.models import Contact
from canned import library
from canned.models import Assignment
from panel.models import Draft
from tests.browser.conftest import screenshot
from tests.conftest import SETUP, set_helpdesk
from tickets import actions
from tickets.models import MessageKind, Status, Ticket


def agents_ticket(world) -> Ticket:
    Contact.objects.filter(email=world.customer_a.email).update(name="Alice <Alder>")
    set_helpdesk(auto_close_days=7)
    opened = world.ticket(world.billing, title="Refund for order 17")
    return actions.assign(actor=SETUP, ticket=opened, assignee=world.agent)


def test_a_canned_reply_is_found_inserted_with_the_keyboard_and_sent(world, open_page):
    ticket = agents_ticket(world)
    library.save_reply(
        user=world.supervisor,
        reply=None,
        title="Refund on its way",
        text="Dear {{ customer.name }},\nthe refund for #{{ ticket.number }} is on its way.\n"
        "{{ agent.name }}",
        shared=True,
        queue=world.billing,
    )
    library.save_reply(
        user=world.agent, reply=None, title="Greeting", text="Hello!", shared=False, queue=None
    )
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    answer.fill("First my own words.")
    page.locator("#canned-picker summary").click()
    search = page.get_by_role("searchbox", name="Search canned replies")
    search.fill("refund")
    choice = page.locator("#canned-results [data-canned-text]")
    expect(choice).to_have_count(1)
    screenshot(page, "canned-reply-picker")
    search.press("ArrowDown")
    expect(choice).to_be_focused()
    page.keyboard.press("Enter")
    filled = (
        "First my own words.\nDear Alice <Alder>,\n"
        f"the refund for #{ticket.number} is on its way.\nagent"
    )
    expect(answer).to_have_value(filled)
    expect(answer).to_be_focused()
    # The autosave has it, as if it had been typed.
    for _ in range(50):
        if Draft.objects.filter(user=world.agent, answer=filled).exists():
            break
        page.wait_for_timeout(100)
    assert Draft.objects.get(user=world.agent).answer == filled

    page.locator("#answer-submit").click()
    expect(page.locator("#thread")).to_contain_text(
        f"the refund for #{ticket.number} is on its way."
    )
    sent = Ticket.objects.get(pk=ticket.pk).messages.get(kind=MessageKind.ANSWER)
    # A form sends line breaks as CRLF.
    assert sent.text.replace("\r\n", "\n") == filled


def test_a_macro_is_applied_with_one_click(world, open_page):
    ticket = agents_ticket(world)
    library.save_macro(
        user=world.supervisor,
        macro=None,
        name="Wait for the customer",
        shared=True,
        reply="Dear {{ customer.name }}, please send us the receipt.",
        status=Status.ON_HOLD,
        priority=70,
        assignment=Assignment.ME,
    )
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Not sent yet")
    page.locator("#macros").scroll_into_view_if_needed()
    screenshot(page, "macros")
    page.get_by_role("button", name="Wait for the customer").click()
    expect(page.locator("#properties")).to_contain_text(
        "The macro “Wait for the customer” is applied."
    )
    expect(page.locator("#fact-status")).to_have_text("On hold")
    expect(page.locator("#fact-priority")).to_have_text("70 normal")
    expect(page.locator("#thread")).to_contain_text(
        "Dear Alice <Alder>, please send us the receipt."
    )
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value("Not sent yet")
    changed = Ticket.objects.get(pk=ticket.pk)
    assert (changed.status, changed.priority, changed.assignee_id) == (
        Status.ON_HOLD,
        70,
        world.agent.pk,
    )
    page.locator("details.history summary").click()
    expect(page.locator("#history")).to_contain_text("agent")


def test_a_refused_macro_is_said_plainly(world, open_page):
    ticket = agents_ticket(world)
    library.save_macro(
        user=world.agent,
        macro=None,
        name="To sales",
        shared=False,
        reply="Sales will answer.",
        queue=world.sales,
    )
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("button", name="To sales").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "The macro “To sales” changed nothing: Only supervisors may"
    )
    assert Ticket.objects.get(pk=ticket.pk).version == ticket.version
