"""customer_reply: unanswered again (S7), sticky (S8), reopening (S11)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.actors import MAIL_GATEWAY
from tests.conftest import events_of, upload
from tickets import actions
from tickets.models import HelpdeskSettings, Message, MessageKind, MessageSource, Status


@pytest.fixture
def auto_close_off(world):
    settings_row = HelpdeskSettings.load()
    settings_row.auto_close_days = -1
    settings_row.save()


def picked_up_and_answered(world, *, sticky: bool = False):
    ticket = world.ticket(world.billing)
    actions.pick_up(actor=world.supervisor, ticket=ticket)
    if sticky:
        actions.change(actor=world.supervisor, ticket=ticket, is_sticky=True)
    actions.answer(actor=world.supervisor, ticket=ticket, text="Fixed, try again.")
    ticket.refresh_from_db()
    return ticket


def test_a_reply_makes_an_answered_ticket_unanswered_again(world, auto_close_off):
    ticket = picked_up_and_answered(world)
    assert ticket.is_answered
    message = actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Still broken.")
    ticket.refresh_from_db()
    assert not ticket.is_answered
    # Escalation counts again from this reply (S9).
    assert ticket.answered_at < ticket.waiting_since <= message.created_at
    assert (message.kind, message.source, message.author) == (
        MessageKind.CUSTOMER,
        MessageSource.PORTAL,
        world.customer_a,
    )


def test_a_reply_without_sticky_returns_the_ticket_to_the_unassigned_list(world, auto_close_off):
    ticket = picked_up_and_answered(world)
    before = ticket.version
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Still broken.")
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status, ticket.version) == (None, Status.NEW, before + 1)
    assert events_of(ticket) == [
        ("customer_message", "", ""),
        ("assignee", "super", ""),
        ("status", "open", "new"),
    ]


def test_a_reply_to_a_sticky_ticket_stays_with_its_assignee(world, auto_close_off):
    ticket = picked_up_and_answered(world, sticky=True)
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Still broken.")
    ticket.refresh_from_db()
    assert (ticket.assignee, ticket.status) == (world.supervisor, Status.OPEN)
    assert not ticket.is_answered
    assert events_of(ticket) == [("customer_message", "", "")]


@pytest.mark.parametrize("done", [Status.CLOSED, Status.RESOLVED])
def test_it_reopens_a_done_ticket_on_reply_and_unassigns_it(world, done):
    ticket = picked_up_and_answered(world)
    actions.change(actor=world.supervisor, ticket=ticket, status=done)
    ticket.refresh_from_db()
    assert ticket.closed_at is not None
    actions.customer_reply(actor=MAIL_GATEWAY, ticket=ticket, text="It broke again.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee, ticket.closed_at) == (Status.REOPENED, None, None)
    assert not ticket.is_answered
    assert events_of(ticket) == [
        ("customer_message", "", ""),
        ("status", done.value, "reopened"),
        ("assignee", "super", ""),
    ]


def test_a_reply_reopens_a_closed_sticky_ticket_for_its_assignee(world):
    ticket = picked_up_and_answered(world, sticky=True)
    assert ticket.status == Status.CLOSED  # auto-close 0, the default
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="It broke again.")
    ticket.refresh_from_db()
    assert (ticket.status, ticket.assignee) == (Status.REOPENED, world.supervisor)


def test_a_reply_by_mail_is_kept_as_mail_from_its_sender(world, media_root):
    ticket = world.ticket()
    message = actions.customer_reply(
        actor=MAIL_GATEWAY,
        ticket=ticket.number,
        text="Forwarding the logs.",
        author_email="colleague@a.example",
        message_id="<abc@mail.a.example>",
        attachments=[upload("log.txt", b"error")],
    )
    message.refresh_from_db()
    assert (message.source, message.author, message.author_email, message.message_id) == (
        MessageSource.EMAIL,
        None,
        "colleague@a.example",
        "<abc@mail.a.example>",
    )
    assert message.attachments.get().filename == "log.txt"


def test_a_second_reply_keeps_the_time_the_customer_started_waiting(world):
    ticket = world.ticket()
    started = ticket.waiting_since
    actions.customer_reply(actor=world.customer_a, ticket=ticket, text="Hello?")
    ticket.refresh_from_db()
    # Escalation counts from the first unanswered message, not the latest nudge.
    assert ticket.waiting_since == started


def test_a_customer_may_reply_only_to_tickets_of_their_own_account(world):
    ticket = world.ticket()
    with pytest.raises(PermissionDenied):
        actions.customer_reply(actor=world.customer_b, ticket=ticket, text="Me too!")
    assert ticket.messages.count() == 1
    assert ticket.events.count() == 1


@pytest.mark.parametrize("role", ["agent", "supervisor", "admin"])
def test_staff_may_not_write_as_the_customer(world, role):
    ticket = world.ticket(world.billing)
    with pytest.raises(PermissionDenied):
        actions.customer_reply(actor=getattr(world, role), ticket=ticket, text="As the customer")
    assert ticket.messages.count() == 1


def test_an_empty_reply_is_refused_and_changes_nothing(world, auto_close_off):
    ticket = picked_up_and_answered(world)
    with pytest.raises(ValidationError) as refused:
        actions.customer_reply(actor=world.customer_a, ticket=ticket, text="   ")
    assert set(refused.value.message_dict) == {"text"}
    fresh = type(ticket).objects.get(pk=ticket.pk)
    assert (fresh.assignee, fresh.is_answered, fresh.version) == (
        world.supervisor,
        True,
        ticket.version,
    )


def test_a_reply_with_an_attachment_over_the_limit_is_refused(world, media_root):
    settings_row = HelpdeskSettings.load()
    settings_row.max_attachment_size = 3
    settings_row.save()
    ticket = world.ticket()
    with pytest.raises(ValidationError) as refused:
        actions.customer_reply(
            actor=world.customer_a, ticket=ticket, text="Logs", attachments=[upload("a.log")]
        )
    assert set(refused.value.message_dict) == {"attachments"}
    assert Message.objects.filter(ticket=ticket).count() == 1
