"""What a hostile sender or a careless paste can put into text, and what the domain makes of it.

Mail with a thousand CCs gets a few; control characters never reach the
database or match every title; a file name cannot hide its extension with a
direction control. These are the last line: the portal and the API get them too.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.actors import MAIL_GATEWAY
from accounts.queries import search_accounts
from mail.ingest import ingest
from mail.models import Mailbox
from tests.conftest import SETUP, World, events_of
from tests.fixtures_mail import make_mail
from tickets import actions, queries
from tickets.files import IncomingFile, clean_name
from tickets.models import Attachment, MessageKind, QueueAddress, Ticket, TicketType

RLO = "\u202e"
# Short, so all thousand fit in the part of a header the parser reads.
STRANGERS = [f"p{index}@c.io" for index in range(1000)]


@pytest.fixture
def mail_world(world: World, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    QueueAddress.objects.create(queue=world.support, email="support@frontdesk.example")
    QueueAddress.objects.create(queue=world.billing, email="billing@frontdesk.example")
    return world


def open_by_mail(**fields: object) -> Ticket:
    defaults: dict[str, object] = {
        "actor": MAIL_GATEWAY,
        "title": "Cannot log in",
        "requester_email": "carol@c.example",
        "text": "Please help.",
        "type": TicketType.EMAIL,
    }
    return actions.open_ticket(**(defaults | fields))  # type: ignore[arg-type]


# One mail with a thousand CCs ---------------------------------------------------


def test_a_mail_to_a_thousand_addresses_keeps_twenty_ccs_and_says_how_many_it_left_out(
    mail_world,
):
    raw = make_mail(headers={"Cc": ", ".join(STRANGERS)})

    result = ingest(raw, "test")

    ticket = Ticket.objects.get()
    assert ticket.cc == STRANGERS[:20]
    assert ("cc_left_out", "", "980 (at most 20 are kept)") in events_of(ticket)
    said = "The mail gateway left out CC addresses of the mail: 980 (at most 20 are kept)"
    assert said in [line.text for line in queries.history_of(ticket)]
    assert result.inbound is not None
    assert "980 CC addresses left out (at most 20 are kept)" in result.inbound.match_detail


def test_the_cc_limit_is_read_when_the_mail_arrives(mail_world, settings):
    settings.MAIL_MAX_CC = 3
    ingest(make_mail(headers={"Cc": ", ".join(STRANGERS[:5])}), "test")
    ticket = Ticket.objects.get()
    assert ticket.cc == STRANGERS[:3]
    assert ("cc_left_out", "", "2 (at most 3 are kept)") in events_of(ticket)


def test_a_mail_within_the_limit_records_nothing_left_out(mail_world):
    ingest(make_mail(headers={"Cc": "friend@c.example"}), "test")
    ticket = Ticket.objects.get()
    assert ticket.cc == ["friend@c.example"]
    assert "cc_left_out" not in ticket.events.values_list("code", flat=True)


def test_our_own_addresses_and_staff_never_become_ccs(mail_world):
    Mailbox.objects.create(name="main", host="127.0.0.1", username="inbox@frontdesk.example")
    raw = make_mail(
        to="support@frontdesk.example, Billing <BILLING@frontdesk.example>",
        headers={
            "Cc": "inbox@frontdesk.example, Agent <Agent@Frontdesk.example>, "
            "super@frontdesk.example, friend@c.example"
        },
    )

    ingest(raw, "test")

    assert Ticket.objects.get().cc == ["friend@c.example"]


def test_an_agent_may_not_type_more_ccs_than_the_limit(world, settings):
    settings.MAIL_MAX_CC = 2
    ticket = world.ticket()
    with pytest.raises(ValidationError) as refused:
        actions.answer(
            actor=world.admin,
            ticket=ticket,
            text="Hello all",
            cc=["a@c.example", "b@c.example", "c@c.example"],
        )
    assert refused.value.message_dict == {
        "cc": ["At most 2 CC addresses receive answers; 3 were given."]
    }
    assert not ticket.messages.filter(kind=MessageKind.ANSWER).exists()


def test_the_same_cc_typed_twice_counts_once(world, settings):
    settings.MAIL_MAX_CC = 2
    message = actions.answer(
        actor=world.admin,
        ticket=world.ticket(),
        text="Hello",
        cc=["a@c.example", "A@C.example", "b@c.example"],
    )
    assert message.ticket.cc == ["a@c.example", "b@c.example"]


# Control characters ---------------------------------------------------------------


def test_control_characters_leave_a_message_but_tabs_and_line_breaks_stay(world):
    ticket = open_by_mail(text="Line one\x00\x1b[31m\r\n\tLine two\x07")
    assert ticket.messages.get().text == "Line one[31m\r\n\tLine two"


def test_a_message_of_control_characters_only_is_empty(world):
    with pytest.raises(ValidationError) as refused:
        actions.add_note(actor=world.admin, ticket=world.ticket(), text="\x00\x01 \x02")
    assert refused.value.message_dict == {"text": ["The message is empty."]}


def test_a_title_loses_control_characters_and_its_line_breaks(world):
    ticket = open_by_mail(title="Printer\x00 on\nfire\x1f")
    assert Ticket.objects.get(pk=ticket.pk).title == "Printer on fire"
    changed = actions.change_details(actor=world.admin, ticket=ticket, title="Disk\x00 full")
    assert changed.title == "Disk full"


@pytest.mark.parametrize("title", ["\x00", "\x00\x01\t"])
def test_a_title_of_control_characters_only_is_refused(world, title):
    with pytest.raises(ValidationError) as refused:
        open_by_mail(title=title)
    assert refused.value.message_dict == {"title": ["A ticket needs a title."]}
    with pytest.raises(ValidationError):
        actions.change_details(actor=world.admin, ticket=world.ticket(), title=title)


@pytest.mark.parametrize("address", ['"\x01"@c.example', "carol\x00@c.example"])
def test_an_address_with_a_control_character_is_not_an_address(world, address):
    with pytest.raises(ValidationError) as refused:
        open_by_mail(requester_email=address)
    assert list(refused.value.message_dict) == ["requester_email"]
    with pytest.raises(ValidationError):
        actions.answer(actor=world.admin, ticket=world.ticket(), text="Hi", cc=[address])


@pytest.mark.parametrize("search", ["\x00", "\x00\x00", "\x1b", "\x00 \x07"])
def test_a_search_for_control_characters_finds_no_title(world, search):
    world.ticket(title="Printer on fire")
    world.ticket(title="Mail is slow")
    assert list(queries.by_title_words(world.admin, search)) == []
    assert list(queries.by_requester(world.admin, search)) == []
    assert queries.ticket_number(search) is None


def test_control_characters_in_search_words_are_left_out(world):
    printer = world.ticket(title="Printer on fire")
    world.ticket(title="Mail is slow")
    found = queries.by_title_words(world.admin, "print\x00er \x1bfire")
    assert list(found) == [printer]
    assert queries.ticket_number("#\x00" + str(printer.number)) == printer.number


def test_an_account_search_for_control_characters_finds_no_account(world):
    assert list(search_accounts("\x00", 20)) == []
    assert list(search_accounts("\x07\x00", 20)) == []
    assert list(search_accounts("Acc\x00ount A", 20)) == [world.account_a]


# Direction controls in file names -------------------------------------------------


@pytest.mark.parametrize(
    "control", ["\u202a", "\u202b", "\u202c", "\u202d", RLO, "\u2066", "\u2069", "\u200e", "\u200f"]
)
def test_a_file_name_loses_its_direction_controls(control):
    assert clean_name(f"invoice{control}fdp.exe") == "invoicefdp.exe"


def test_a_file_name_loses_control_characters_and_is_never_empty():
    assert clean_name("re\x00port\n.pdf") == "report .pdf"
    assert clean_name(RLO) == "attachment"
    assert clean_name("folder/\u2066") == "attachment"


def test_a_mailed_file_named_to_hide_its_extension_is_stored_without_the_control(mail_world):
    raw = make_mail(attachments=[(f"invoice{RLO}fdp.exe", "application/octet-stream", b"MZ")])
    ingest(raw, "test")
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["invoicefdp.exe"]


def test_an_uploaded_file_named_to_hide_its_extension_is_stored_without_the_control(
    world, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    upload = SimpleUploadedFile(f"invoice{RLO}fdp.exe", b"MZ", "application/octet-stream")
    actions.add_note(
        actor=SETUP,
        ticket=world.ticket(),
        text="See the file.",
        attachments=[IncomingFile.from_upload(upload)],
    )
    assert list(Attachment.objects.values_list("filename", flat=True)) == ["invoicefdp.exe"]
