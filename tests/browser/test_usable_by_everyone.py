"""Usable at 375 px, every control labelled, every action reachable by keyboard (issue 3)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions

PHONE_WIDTH = 375

UNLABELLED_CONTROLS = """() => Array.from(document.querySelectorAll("input, select, textarea"))
    .filter((control) => control.type !== "hidden")
    .filter((control) => control.labels.length === 0
        && !control.getAttribute("aria-label")
        && !control.getAttribute("aria-labelledby"))
    .map((control) => control.outerHTML)"""


def scroll_width(page: Page) -> int:
    return page.evaluate("document.scrollingElement.scrollWidth")


def tab_to(page: Page, element_id: str, limit: int = 120) -> int:
    """Press Tab until the element has the focus; how many presses it took."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == element_id:
            return presses
    raise AssertionError(f"Tab never reached #{element_id} in {limit} presses")


def test_the_panel_needs_no_sideways_scrolling_on_a_375_pixel_phone(world, open_page):
    ticket = actions.assign(
        actor=SETUP,
        ticket=world.ticket(
            title="Überweisung vom 3. März wurde doppelt abgebucht und die Rechnung fehlt",
            requester_email="sehr.langer.name.der.kundin@beispiel-unternehmen.example",
        ),
        assignee=world.supervisor,
    )
    world.ticket(title="Le site affiche une erreur 502 depuis ce matin")
    page = open_page(world.supervisor, width=PHONE_WIDTH, height=800)
    page.goto("/panel/")
    expect(page.get_by_role("heading", name="Statistics")).to_be_visible()
    assert scroll_width(page) <= PHONE_WIDTH
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.locator("#details-section summary").click()
    assert scroll_width(page) <= PHONE_WIDTH


def test_every_form_control_of_the_ticket_page_has_an_accessible_label(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    assert page.evaluate(UNLABELLED_CONTROLS) == []
    page.locator("#details-section summary").click()
    page.locator("#account-section summary").click()
    for role, name in [
        ("textbox", "Answer"),
        ("textbox", "Internal note"),
        ("textbox", "E-mail CC"),
        ("combobox", "Assign to"),
        ("combobox", "Assignee"),
        ("combobox", "Status"),
        ("spinbutton", "Priority"),
        ("checkbox", "Sticky"),
        ("textbox", "Title"),
        ("textbox", "Requester e-mail"),
        ("searchbox", "Account name, external id or contact e-mail"),
    ]:
        expect(page.get_by_role(role, name=name, exact=True)).to_have_count(1)
    expect(page.get_by_label("Attachments")).to_have_count(1)


def test_the_keyboard_reaches_the_answer_and_its_submit_button(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(), assignee=world.supervisor)
    page = open_page(world.supervisor)
    page.goto(f"/panel/tickets/{ticket.number}/")
    tab_to(page, "answer-answer")
    page.keyboard.type("Typed without a mouse.")
    tab_to(page, "answer-submit", limit=10)
    page.keyboard.press("Enter")
    expect(page.locator(".message-answer")).to_contain_text("Typed without a mouse.")
    assert refreshed(ticket).is_answered


def test_enter_and_space_press_pick_up(world, open_page):
    by_enter, by_space = world.ticket(title="Enter"), world.ticket(title="Space")
    page = open_page(world.supervisor)
    page.goto("/panel/")
    tab_to(page, f"pick-up-button-{by_enter.number}")
    page.keyboard.press("Enter")
    expect(page.locator(f"#pick-up-{by_enter.number}")).to_have_text("Picked up: yours now.")
    page.locator("#quick-search").focus()
    tab_to(page, f"pick-up-button-{by_space.number}")
    page.keyboard.press(" ")
    expect(page.locator(f"#pick-up-{by_space.number}")).to_have_text("Picked up: yours now.")
    assert refreshed(by_enter).assignee == refreshed(by_space).assignee == world.supervisor
