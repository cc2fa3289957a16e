"""The answer form's spellcheck in a real browser, with the keyboard alone (S36)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from spelling.models import TeamWord
from tests.browser.conftest import screenshot
from tests.conftest import SETUP
from tests.panel.helpers import refreshed
from tickets import actions
from tickets.models import Message, MessageKind

CUSTOMER = "Hello, my invoice for March shows the wrong address. Can you correct it please?"
TYPED = "Dear Alice,\n\nI recieve your request and Frontdeskly will send a new invoice tomorow."
SENT = "Dear Alice,\n\nI receive your request and Frontdeskly will send a new invoice tomorrow."


def press_tab_until(page: Page, element_id: str, most: int = 40) -> None:
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"Tab never reached #{element_id}")


def test_an_agent_corrects_words_with_the_keyboard_alone_and_sends_the_answer(world, open_page):
    ticket = actions.assign(
        actor=SETUP, ticket=world.ticket(world.billing, text=CUSTOMER), assignee=world.agent
    )
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    expect(page.get_by_label("Spelling language")).to_have_value("en_US")
    answer.focus()
    page.keyboard.insert_text(TYPED)

    press_tab_until(page, "spelling-check")
    page.keyboard.press("Enter")
    # The text is shown with its three words marked, the first one focused with its menu.
    words = page.locator("#spelling-text button.misspelled")
    expect(words).to_have_text(["recieve", "Frontdeskly", "tomorow"])
    expect(answer).to_be_hidden()
    expect(words.first).to_be_focused()
    expect(words.first).to_have_attribute("aria-expanded", "true")
    menu = page.get_by_role("menu", name="Suggestions for recieve")
    expect(menu.get_by_role("menuitem").first).to_have_text("receive")
    expect(page.locator("#spelling-status")).to_contain_text("3 words to look at")

    # Down arrow enters the menu; Enter takes the first suggestion.
    page.keyboard.press("ArrowDown")
    expect(menu.get_by_role("menuitem", name="receive")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#spelling-text .corrected")).to_have_text("receive")
    # The product's name goes to the team's dictionary: the last item of its menu.
    expect(words.first).to_have_text("Frontdeskly")
    expect(words.first).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("End")
    add = page.get_by_role("menu", name="Suggestions for Frontdeskly").get_by_role(
        "menuitem", name="Add to dictionary"
    )
    expect(add).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#spelling-text .added")).to_have_text("Frontdeskly")
    # The last word: its suggestions come when it is focused; the picture shows them.
    expect(words).to_have_text(["tomorow"])
    expect(words.first).to_be_focused()
    tomorrow = page.get_by_role("menu", name="Suggestions for tomorow").get_by_role(
        "menuitem", name="tomorrow", exact=True
    )
    expect(tomorrow).to_be_visible()
    screenshot(page, "spellcheck")
    page.keyboard.press("ArrowDown")
    expect(tomorrow).to_be_focused()
    page.keyboard.press("Enter")
    expect(words).to_have_count(0)
    expect(page.get_by_role("button", name="Done")).to_be_focused()
    expect(page.locator("#spelling-status")).to_contain_text("All marked words are done")

    # Done: back to the text field, with the text changed.
    page.keyboard.press("Enter")
    expect(answer).to_be_visible()
    expect(answer).to_be_focused()
    expect(answer).to_have_value(SENT)

    press_tab_until(page, "answer-submit")
    page.keyboard.press("Enter")
    expect(page.locator(".message-answer .body")).to_have_text(SENT)
    sent = Message.objects.get(ticket=ticket, kind=MessageKind.ANSWER)
    # A browser posts a text field's line ends as CRLF (HTML's form encoding).
    assert sent.text.replace("\r\n", "\n") == SENT
    assert refreshed(ticket).is_answered
    assert list(TeamWord.objects.values_list("word", flat=True)) == ["Frontdeskly"]


def test_escape_closes_the_menu_then_returns_to_editing_unchanged(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    answer.fill("Thanks for the mesage.")
    page.get_by_role("button", name="Check spelling").click()
    word = page.locator("#spelling-text button.misspelled")
    expect(word).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("menu")).to_be_visible()
    page.keyboard.press("Escape")
    expect(word).to_be_focused()
    expect(page.get_by_role("menu")).to_be_hidden()
    page.keyboard.press("Escape")
    expect(answer).to_be_focused()
    expect(answer).to_have_value("Thanks for the mesage.")


def test_hovering_a_word_lists_its_suggestions_and_a_click_replaces_it(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Vielen Dank für Ihre Nachricht.")
    page.get_by_label("Spelling language").select_option("en_US")
    page.get_by_role("button", name="Check spelling").click()
    expect(page.locator("#spelling-text button.misspelled")).to_have_count(4)
    page.get_by_label("Spelling language").select_option("de_DE")
    expect(page.locator("#spelling-status")).to_have_text("No spelling mistakes found.")
    page.get_by_role("textbox", name="Answer", exact=True).fill("Vielen Dank für Ihre Nachrihct.")
    page.get_by_role("button", name="Check spelling").click()
    page.get_by_role("button", name="Done").focus()
    page.locator("#spelling-text button.misspelled").hover()
    page.get_by_role("menuitem", name="Nachricht", exact=True).click()
    page.get_by_role("button", name="Done").click()
    expect(page.get_by_role("textbox", name="Answer", exact=True)).to_have_value(
        "Vielen Dank für Ihre Nachricht."
    )


def test_a_refused_check_says_why_and_leaves_the_text_as_it_was(world, open_page):
    ticket = actions.assign(actor=SETUP, ticket=world.ticket(world.billing), assignee=world.agent)
    page = open_page(world.agent)
    page.goto(f"/panel/tickets/{ticket.number}/")
    answer = page.get_by_role("textbox", name="Answer", exact=True)
    too_long = "word " * 20_001
    answer.fill(too_long)
    page.get_by_role("button", name="Check spelling").click()
    expect(page.locator("#spelling-status")).to_have_text("The text is too long to check at once.")
    expect(answer).to_be_visible()
    expect(answer).to_have_value(too_long)
