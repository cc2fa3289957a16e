"""The panel with hostile input: control characters in every kind of field, direction
controls in names, and an answer that shows who it goes to before it is sent.

Run on SQLite and PostgreSQL: a NUL was a server error on one and matched every
title on the other.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import SETUP
from tests.panel.helpers import htmx, refreshed, rendered_form, whole_form
from tickets import actions
from tickets.models import Attachment, MessageKind, QueueAddress, Ticket

RLO = "\u202e"
SPOOFED = f"invoice{RLO}fdp.exe"
MARKED = "invoice⟨U+202E⟩fdp.exe"
CONTROLS = ["\x00", "\x00\x00", "\x01", "\x1b", "\x7f", "\x00 \x08"]


def found(page: str) -> list[int]:
    return sorted(int(number) for number in re.findall(r'id="row-search-(\d+)"', page))


@pytest.fixture
def ticket(world) -> Ticket:
    ticket = world.ticket(queue=world.billing, title="Printer on fire")
    return actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)


def post_page(client, ticket, action, **fields):
    """The ticket page's one form, as rendered, sent to one of its actions."""
    return client.post(
        f"/panel/tickets/{ticket.number}/{action}/", whole_form(client, ticket, **fields)
    )


# Control characters ---------------------------------------------------------------


@pytest.mark.parametrize("typed", CONTROLS)
def test_a_quick_search_for_control_characters_matches_no_title(world, as_user, typed):
    world.ticket(title="Printer on fire")
    world.ticket(title="Mail is slow")
    response = as_user(world.admin).get("/panel/search/", {"q": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert found(page) == []
    assert "Nothing to search for: control characters are never found." in page


def test_control_characters_inside_search_words_are_left_out(world, as_user):
    printer = world.ticket(title="Printer on fire")
    world.ticket(title="Mail is slow")
    client = as_user(world.admin)
    page = client.get("/panel/search/", {"q": "print\x00er"}).content.decode()
    assert found(page) == [printer.number]
    page = client.get("/panel/search/", {"q": "alice@a.example\x00"}).content.decode()
    assert "Tickets from or copied to alice@a.example" in page
    response = client.get("/panel/search/", {"q": f"#{printer.number}\x00"})
    assert response["Location"] == f"/panel/tickets/{printer.number}/"


@pytest.mark.parametrize("typed", CONTROLS)
def test_an_account_search_for_control_characters_finds_no_account(world, as_user, ticket, typed):
    response = as_user(world.agent).get(f"/panel/tickets/{ticket.number}/account/", {"q": typed})
    page = response.content.decode()
    assert response.status_code == 200
    assert "choose-account-" not in page


def test_an_account_search_leaves_control_characters_out_of_the_name(world, as_user, ticket):
    url = f"/panel/tickets/{ticket.number}/account/"
    page = as_user(world.agent).get(url, {"q": "Account\x00 B"}).content.decode()
    assert f'id="choose-account-{world.account_b.pk}"' in page
    assert f'id="choose-account-{world.account_a.pk}"' not in page


def test_an_answer_and_a_note_lose_control_characters(world, as_user, ticket):
    client = as_user(world.agent)
    response = post_page(
        client, ticket, "reply", answer="Restart\x00 the\x1b router.\r\n\tThanks", note="Bell\x07"
    )
    assert response.status_code == 302
    messages = refreshed(ticket).messages
    assert messages.get(kind=MessageKind.ANSWER).text == "Restart the router.\r\n\tThanks"
    assert messages.get(kind=MessageKind.NOTE).text == "Bell"


@pytest.mark.parametrize("typed", CONTROLS)
def test_an_answer_of_control_characters_only_asks_for_text(world, as_user, ticket, typed):
    response = post_page(as_user(world.agent), ticket, "reply", answer=typed)
    assert response.status_code == 422
    assert "Write an answer or an internal note." in response.content.decode()
    assert refreshed(ticket).version == ticket.version


def test_a_draft_with_a_nul_is_kept_without_it(world, as_user, ticket):
    client = as_user(world.agent)
    response = client.post(
        f"/panel/tickets/{ticket.number}/draft/",
        {"answer": "Half\x00 typed", "note": "", "cc": ""},
        headers=htmx(),
    )
    assert response.status_code == 200
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "Half typed</textarea>" in page


def make_ticket_form(client, **fields: object) -> dict[str, object]:
    page = client.get("/panel/tickets/new/").content.decode()
    return {
        **rendered_form(page, "make-ticket-form"),
        "requester_email": "alice@a.example",
        "message": "Please help.",
        **fields,
    }


def test_make_a_ticket_leaves_control_characters_out_of_the_title(world, as_user):
    client = as_user(world.supervisor)
    response = client.post("/panel/tickets/new/", make_ticket_form(client, title="Disk\x00 full"))
    assert response.status_code == 302
    assert Ticket.objects.get().title == "Disk full"


@pytest.mark.parametrize("typed", CONTROLS)
def test_make_a_ticket_with_a_title_of_control_characters_asks_for_a_title(world, as_user, typed):
    client = as_user(world.supervisor)
    response = client.post("/panel/tickets/new/", make_ticket_form(client, title=typed))
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert not Ticket.objects.exists()


def test_additional_leaves_control_characters_out_of_the_title(world, as_user, ticket):
    client = as_user(world.agent)
    response = post_page(client, ticket, "details", **{"details-title": "Paper\x00 jam\x1f"})
    assert response.status_code == 302
    assert refreshed(ticket).title == "Paper jam"


@pytest.mark.parametrize("typed", CONTROLS)
def test_additional_with_a_title_of_control_characters_asks_for_a_title(
    world, as_user, ticket, typed
):
    response = post_page(as_user(world.agent), ticket, "details", **{"details-title": typed})
    assert response.status_code == 422
    assert "This field is required." in response.content.decode()
    assert refreshed(ticket).title == "Printer on fire"


# Direction controls in names ------------------------------------------------------


def test_a_title_with_a_direction_control_shows_it_on_the_lists(world, as_user):
    spoofed = world.ticket(title=SPOOFED)
    client = as_user(world.admin)
    for url, query in (("/panel/tickets/unassigned/", {}), ("/panel/search/", {"q": "invoice"})):
        page = client.get(url, query).content.decode()
        assert f">{MARKED}</a>" in page, url
        assert RLO not in page, url
    assert found(client.get("/panel/search/", {"q": "invoice"}).content.decode()) == [
        spoofed.number
    ]


def test_a_title_with_a_direction_control_shows_it_on_the_ticket_page(world, as_user):
    spoofed = world.ticket(title=SPOOFED)
    world.ticket(title=f"Second {SPOOFED}")  # listed under the customer's latest tickets
    page = as_user(world.admin).get(f"/panel/tickets/{spoofed.number}/").content.decode()
    assert f'<span id="ticket-title">{MARKED}</span>' in page
    assert f"<title>#{spoofed.number} {MARKED}" in page
    assert f"Second {MARKED}</a>" in page
    assert RLO not in page


def test_the_marker_is_text_and_the_rest_of_the_title_stays_escaped(world, as_user):
    spoofed = world.ticket(title=f"<b>{SPOOFED}</b>")
    page = as_user(world.admin).get(f"/panel/tickets/{spoofed.number}/").content.decode()
    assert f"&lt;b&gt;{MARKED}&lt;/b&gt;" in page
    assert "<b>invoice" not in page


def test_names_and_history_show_direction_controls(world, as_user, media_root):
    world.agent.staff.full_name = f"Ann{RLO}eL"
    world.agent.staff.save()
    world.agent.full_name = f"Ann{RLO}eL"
    world.agent.save()
    ticket = world.ticket(queue=world.billing)
    ticket = actions.assign(actor=SETUP, ticket=ticket, assignee=world.agent)
    actions.add_note(actor=world.agent, ticket=ticket, text="Looking.")
    actions.change_details(actor=SETUP, ticket=ticket, title=SPOOFED)
    page = as_user(world.admin).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "by Ann⟨U+202E⟩eL" in page
    assert 'id="fact-assignee">Ann⟨U+202E⟩eL<' in page
    assert f"changed the title: Cannot log in → {MARKED}" in page
    assert RLO not in page


def test_additional_shows_the_marker_and_saves_the_title_it_showed(world, as_user, ticket):
    actions.change_details(actor=SETUP, ticket=ticket, title=SPOOFED)
    ticket = refreshed(ticket)
    client = as_user(world.agent)
    form = whole_form(client, ticket)
    assert form["details-title"] == MARKED
    response = client.post(f"/panel/tickets/{ticket.number}/details/", form)
    assert response.status_code == 302
    assert refreshed(ticket).title == SPOOFED
    # Deleting the marker deletes the control.
    post_page(client, refreshed(ticket), "details", **{"details-title": "invoicefdp.exe"})
    assert refreshed(ticket).title == "invoicefdp.exe"


def test_an_uploaded_file_named_to_hide_its_extension_is_kept_without_the_control(
    world, as_user, ticket
):
    # Django's multipart parser drops unprintable characters too; tickets/files.py
    # clean_name is what holds for every other way a file arrives.
    upload = SimpleUploadedFile(SPOOFED, b"MZ", "application/octet-stream")
    client = as_user(world.agent)
    response = post_page(client, ticket, "reply", note="The file.", attachments=[upload])
    assert response.status_code == 302
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["invoicefdp.exe"]
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert "download>invoicefdp.exe</a>" in page


# Who an answer goes to ------------------------------------------------------------


def goes_to(page: str) -> str:
    """The text of the "Goes to" line of a whole page or of the line alone (htmx)."""
    match = re.search(r'<p id="answer-recipients"[^>]*>(.*?)</p>', page, re.S)
    return re.sub(r"<[^>]+>", "", match.group(1) if match else page)


def test_the_answer_form_says_who_the_answer_goes_to(world, as_user, ticket):
    actions.answer(actor=SETUP, ticket=ticket, text="Hi", cc=["boss@a.example", "it@a.example"])
    page = as_user(world.agent).get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert goes_to(page) == "Goes to: alice@a.example · CC: boss@a.example, it@a.example"


def test_the_line_follows_the_cc_field_as_it_is_typed(world, as_user, ticket):
    client = as_user(world.agent)
    form = whole_form(client, ticket)
    url = f"/panel/tickets/{ticket.number}/recipients/"
    response = client.get(url, {"cc": "new@c.example; Other@C.example"}, headers=htmx())
    assert response.status_code == 200
    line = goes_to(response.content.decode())
    assert line == "Goes to: alice@a.example · CC: new@c.example, other@c.example"
    # The page itself asks for it while the CC field changes.
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert f'hx-get="{url}"' in page and 'hx-include="#answer-cc"' in page
    assert form["cc"] == ""


def test_a_restored_draft_shows_the_ccs_it_holds(world, as_user, ticket):
    client = as_user(world.agent)
    client.post(
        f"/panel/tickets/{ticket.number}/draft/",
        {"answer": "Hello", "note": "", "cc": "typed@c.example"},
        headers=htmx(),
    )
    page = client.get(f"/panel/tickets/{ticket.number}/").content.decode()
    assert goes_to(page) == "Goes to: alice@a.example · CC: typed@c.example"


def test_the_line_never_lists_our_own_addresses(world, as_user, ticket):
    QueueAddress.objects.create(queue=world.billing, email="billing@frontdesk.example")
    url = f"/panel/tickets/{ticket.number}/recipients/"
    response = as_user(world.agent).get(url, {"cc": "Billing@frontdesk.example, x@c.example"})
    assert goes_to(response.content.decode()) == "Goes to: alice@a.example · CC: x@c.example"


def test_the_line_warns_of_more_ccs_than_an_answer_may_have(world, as_user, ticket, settings):
    settings.MAIL_MAX_CC = 2
    url = f"/panel/tickets/{ticket.number}/recipients/"
    typed = "a@c.example, b@c.example, c@c.example"
    page = as_user(world.agent).get(url, {"cc": typed}).content.decode()
    assert "An answer goes to at most 2 CC addresses." in page


def test_an_answer_to_more_ccs_than_the_limit_is_refused_on_the_cc_field(
    world, as_user, ticket, settings
):
    settings.MAIL_MAX_CC = 2
    typed = "a@c.example, b@c.example, c@c.example"
    response = post_page(as_user(world.agent), ticket, "reply", answer="Hello all", cc=typed)
    page = response.content.decode()
    assert response.status_code == 422
    assert "At most 2 CC addresses receive answers; 3 were given." in page
    assert re.search(r'id="answer-cc_error".*At most 2 CC', page, re.S)
    assert not refreshed(ticket).messages.filter(kind=MessageKind.ANSWER).exists()


def test_only_those_who_see_the_ticket_get_the_line(world, as_user, ticket):
    url = f"/panel/tickets/{ticket.number}/recipients/"
    assert as_user(world.other_agent).get(url, {"cc": "a@c.example"}).status_code == 404
    assert as_user(world.customer_a).get(url, {"cc": "a@c.example"}).status_code == 403
