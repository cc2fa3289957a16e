"""open_ticket: a new ticket with its first message, for every way one arrives."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts import staff
from accounts.actors import MAIL_GATEWAY
from accounts.models import User
from tests.conftest import events_of, upload
from tickets import actions, hooks
from tickets.models import (
    Attachment,
    HelpdeskSettings,
    MessageKind,
    MessageSource,
    Status,
    Ticket,
    TicketType,
)
from tickets.visibility import can_see


def open_by_mail(**kw) -> Ticket:
    fields: dict[str, Any] = {
        "actor": MAIL_GATEWAY,
        "title": "Cannot log in",
        "requester_email": "carol@c.example",
        "text": "Please help.",
        "type": TicketType.EMAIL,
    }
    return actions.open_ticket(**(fields | kw))


def test_it_opens_a_new_unanswered_unassigned_ticket_in_the_default_queue(world):
    ticket = open_by_mail()
    ticket.refresh_from_db()
    assert ticket.queue == world.support
    assert (ticket.status, ticket.assignee, ticket.is_answered) == (Status.NEW, None, False)
    assert ticket.version == 1
    assert ticket.waiting_since == ticket.created_at
    assert events_of(ticket) == [("created", "", "Support")]
    message = ticket.messages.get()
    assert (message.kind, message.source, message.author_email) == (
        MessageKind.CUSTOMER,
        MessageSource.EMAIL,
        "carol@c.example",
    )


def test_it_files_a_ticket_under_the_account_of_a_known_contact(world):
    ticket = open_by_mail(requester_email="Bob@B.example")
    assert ticket.account == world.account_b


def test_a_ticket_from_an_unknown_address_has_no_account(world):
    assert open_by_mail().account is None


def test_a_customer_always_opens_a_portal_ticket_for_themselves_and_their_account(world):
    ticket = actions.open_ticket(
        actor=world.customer_a,
        title="Invoice is wrong",
        requester_email="someone@else.example",
        account=world.account_b,
        text="The total is off.",
        type=TicketType.STAFF,
        queue=world.billing,
    )
    assert ticket.account == world.account_a
    assert ticket.requester_email == world.customer_a.email
    assert ticket.type == TicketType.PORTAL
    assert ticket.messages.get().source == MessageSource.PORTAL


def test_staff_open_tickets_for_a_customer_in_the_queue_they_choose(world):
    ticket = actions.open_ticket(
        actor=world.agent,
        title="Called about DNS",
        requester_email=world.customer_b.email,
        text="Customer phoned in.",
        type=TicketType.STAFF,
        queue=world.sales,
        priority=80,
        cc=["boss@b.example"],
    )
    ticket.refresh_from_db()
    assert (ticket.queue, ticket.priority, ticket.type) == (world.sales, 80, TicketType.STAFF)
    assert ticket.account == world.account_b
    assert ticket.cc == ["boss@b.example"]
    assert ticket.events.get().actor == world.agent


def test_the_priority_defaults_to_normal_from_the_settings(world):
    settings_row = HelpdeskSettings.load()
    settings_row.priority_normal = 60
    settings_row.save()
    assert open_by_mail().priority == 60


def test_it_keeps_titles_bodies_and_file_names_in_any_language(world, media_root):
    ticket = open_by_mail(
        title="Не работает почта — 邮件无法发送",
        text="Grüße aus Köln; ¿qué pasa? <b>not bold</b>",
        attachments=[upload("Prüfbericht №1 — 报告.pdf", b"%PDF-1.4")],
    )
    ticket.refresh_from_db()
    assert ticket.title == "Не работает почта — 邮件无法发送"
    message = ticket.messages.get()
    assert message.text == "Grüße aus Köln; ¿qué pasa? <b>not bold</b>"
    attachment = message.attachments.get()
    assert attachment.filename == "Prüfbericht №1 — 报告.pdf"


def test_it_stores_attachments_under_a_name_the_sender_did_not_choose(world, media_root):
    ticket = open_by_mail(attachments=[upload("../../etc/passwd.txt", b"root")])
    attachment = Attachment.objects.get(message__ticket=ticket)
    assert attachment.filename == "passwd.txt"
    assert "passwd" not in attachment.file.name
    assert (attachment.content_type, attachment.size) == ("text/plain", 4)
    assert attachment.file.read() == b"root"


def test_it_signals_the_new_ticket_with_the_confirmation_choice(world):
    heard = []

    def receiver(ticket, message, send_confirmation, **kw):
        heard.append((ticket.title, message.text, send_confirmation))

    hooks.ticket_opened.connect(receiver)
    try:
        open_by_mail(send_confirmation=False)
    finally:
        hooks.ticket_opened.disconnect(receiver)
    assert heard == [("Cannot log in", "Please help.", False)]


@pytest.mark.parametrize("priority", [0, 100, -5])
def test_it_refuses_a_priority_outside_1_to_99(world, priority):
    with pytest.raises(ValidationError) as refused:
        open_by_mail(priority=priority)
    assert set(refused.value.message_dict) == {"priority"}
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("priority", [1, 99])
def test_it_accepts_the_priorities_at_both_ends(world, priority):
    assert open_by_mail(priority=priority).priority == priority


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("requester_email", "not an address"),
        ("requester_email", ""),
        ("cc", ["fine@c.example", "broken@"]),
        ("title", "   "),
        ("title", "x" * 256),
        ("text", " \n "),
        ("type", "fax"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(world, field, value):
    with pytest.raises(ValidationError) as refused:
        open_by_mail(**{field: value})
    assert set(refused.value.message_dict) == {field}
    assert not Ticket.objects.exists()


def test_it_refuses_an_attachment_over_the_size_limit_and_keeps_nothing(world, media_root):
    settings_row = HelpdeskSettings.load()
    settings_row.max_attachment_size = 10
    settings_row.save()
    with pytest.raises(ValidationError) as refused:
        open_by_mail(attachments=[upload("big.bin", b"x" * 11)])
    assert set(refused.value.message_dict) == {"attachments"}
    assert "big.bin" in refused.value.message_dict["attachments"][0]
    assert not Ticket.objects.exists()
    assert not Attachment.objects.exists()


def test_an_attachment_of_exactly_the_limit_is_accepted(world, media_root):
    settings_row = HelpdeskSettings.load()
    settings_row.max_attachment_size = 10
    settings_row.save()
    ticket = open_by_mail(attachments=[upload("fits.bin", b"x" * 10)])
    assert Attachment.objects.get(message__ticket=ticket).size == 10


def test_somebody_of_no_account_opens_a_ticket_for_themselves_and_sees_it(world):
    stranger = User.objects.create_user("stranger@elsewhere.example", "secret")
    ticket = open_by_mail(actor=stranger, requester_email="somebody-else@b.example")
    # Written for themselves, through the portal, of no account.
    assert (ticket.requester_email, ticket.type, ticket.account) == (
        "stranger@elsewhere.example",
        TicketType.PORTAL,
        None,
    )
    assert can_see(stranger, ticket)
    assert not can_see(world.customer_a, ticket)


def test_deactivated_people_may_not_open_tickets(world):
    staff.deactivate(actor=world.admin, user=world.supervisor)
    world.customer_a.is_active = False
    world.customer_a.save()
    for person in (world.supervisor, world.customer_a):
        with pytest.raises(PermissionDenied):
            open_by_mail(actor=person)
    assert not Ticket.objects.exists()


def test_addresses_are_stored_lower_case_so_one_person_is_one_requester(world):
    ticket = world.ticket(requester_email="Alice@A.Example", cc=["Boss@A.example"])
    assert (ticket.requester_email, ticket.cc) == ("alice@a.example", ["boss@a.example"])
