"""Routing: the queue by recipient, the ticket by token, stored id or subject tag (S27, S28)."""

from __future__ import annotations

import pytest

from mail import tokens
from mail.ingest import ingest
from mail.models import InboundMessage, Match, Outcome
from tests.fixtures_mail import make_mail, reply_to
from tests.mailflow.conftest import BILLING, SALES, SUPPORT
from tickets import actions
from tickets.models import Event, MessageKind, Ticket


@pytest.mark.parametrize(
    ("header", "queue_name"),
    [("To", "Billing"), ("Cc", "Billing"), ("Delivered-To", "Sales"), ("X-Original-To", "Sales")],
)
def test_the_queue_comes_from_the_recipient_headers(mail_world, header, queue_name):
    extra = {header: BILLING if queue_name == "Billing" else SALES}
    # Delivered-To counts only when no address the customer wrote to is a queue's.
    to = SUPPORT if header == "X-Original-To" else "someone@elsewhere.example"
    if header == "To":
        to, extra = BILLING, {}

    ingest(make_mail(to=to, headers=extra), "test")

    assert Ticket.objects.get().queue.name == queue_name


def test_x_original_to_wins_over_to_for_an_alias_of_the_main_address(mail_world):
    # Issue 12: the alias the customer wrote to, not the mailbox it was delivered to.
    ingest(make_mail(to=SUPPORT, headers={"Delivered-To": SUPPORT, "X-Original-To": SALES}), "test")

    assert Ticket.objects.get().queue == mail_world.sales


def test_queue_addresses_compare_without_case(mail_world):
    ingest(make_mail(to="Billing@FrontDesk.Example"), "test")

    assert Ticket.objects.get().queue == mail_world.billing


def test_mail_to_no_queue_address_goes_to_the_default_queue(mail_world):
    ingest(make_mail(to="nobody@elsewhere.example"), "test")

    assert Ticket.objects.get().queue == mail_world.support


def test_a_queues_own_mailbox_puts_mail_in_that_queue(mail_world):
    ingest(make_mail(to=SUPPORT), "imap:billing", queue=mail_world.billing)

    assert Ticket.objects.get().queue == mail_world.billing


def test_other_recipients_become_ccs_of_a_new_ticket_but_our_addresses_do_not(mail_world):
    ingest(
        make_mail(
            to=f"{SUPPORT}, carol@a.example", headers={"Cc": f"Dave <dave@a.example>, {SALES}"}
        ),
        "test",
    )

    assert Ticket.objects.get().cc == ["carol@a.example", "dave@a.example"]


def test_our_signed_token_threads_a_reply(mail_world):
    ticket = mail_world.ticket()
    our_id = tokens.make_message_id(ticket.number)

    result = ingest(reply_to(our_id, subject="no tag here"), "test")

    assert result.inbound is not None
    assert (result.inbound.outcome, result.inbound.match) == (Outcome.REPLY, Match.TOKEN)
    assert result.inbound.ticket == ticket
    assert Ticket.objects.count() == 1


def test_a_forged_token_counts_as_absent(mail_world):
    ticket = mail_world.ticket()
    forged = f"fd.{ticket.number}.0123456789abcdef.{'0' * 32}@frontdesk.example"

    result = ingest(reply_to(forged, subject="no tag here"), "test")

    assert result.inbound is not None and result.inbound.match == Match.NEW_TICKET
    assert Ticket.objects.count() == 2


def test_a_token_signed_with_another_key_counts_as_absent(mail_world, settings):
    ticket = mail_world.ticket()
    our_id = tokens.make_message_id(ticket.number)
    settings.SECRET_KEY = "a-different-key-" * 4

    assert tokens.ticket_from_message_id(our_id) is None


def test_a_token_signed_with_a_previous_key_still_threads(mail_world, settings):
    ticket = mail_world.ticket()
    our_id = tokens.make_message_id(ticket.number)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-key-" * 4

    assert tokens.ticket_from_message_id(our_id) == ticket.number


def test_a_stored_message_id_threads_a_reply(mail_world):
    first = ingest(make_mail(message_id="<first@a.example>"), "test")
    assert first.inbound is not None

    result = ingest(reply_to("first@a.example", subject="different subject"), "test")

    assert result.inbound is not None
    assert (result.inbound.match, result.inbound.ticket) == (Match.MESSAGE_ID, first.inbound.ticket)


def test_the_subject_tag_threads_a_reply_when_no_id_matches(mail_world):
    ticket = mail_world.ticket()

    result = ingest(make_mail(subject=f"Re: something [#{ticket.number}]"), "test")

    assert result.inbound is not None
    assert (result.inbound.match, result.inbound.ticket) == (Match.SUBJECT_TAG, ticket)


def test_the_token_wins_over_a_subject_tag_naming_another_ticket(mail_world):
    first, second = mail_world.ticket(), mail_world.ticket()
    raw = reply_to(tokens.make_message_id(first.number), subject=f"Re: [#{second.number}]")

    result = ingest(raw, "test")

    assert result.inbound is not None and result.inbound.ticket == first


def test_a_subject_tag_of_a_missing_ticket_opens_a_new_one(mail_world):
    result = ingest(make_mail(subject="Re: [#999999]"), "test")

    assert result.inbound is not None and result.inbound.match == Match.NEW_TICKET


def test_a_cc_of_the_ticket_may_reply(mail_world):
    ticket = mail_world.ticket(cc=["carol@a.example"])

    result = ingest(make_mail(sender="carol@a.example", subject=f"[#{ticket.number}]"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.REPLY
    assert ticket.messages.last().author_email == "carol@a.example"


def test_staff_mail_to_a_ticket_is_kept_as_a_note_and_not_sent(mail_world):
    ticket = mail_world.ticket(mail_world.billing)
    was_answered = Ticket.objects.get(pk=ticket.pk).is_answered
    staff_copy_id = tokens.make_staff_message_id(ticket.number, mail_world.supervisor.pk)

    result = ingest(
        reply_to(staff_copy_id, sender=mail_world.supervisor.email, subject="Re:", body="FYI"),
        "test",
    )

    assert result.inbound is not None and result.inbound.outcome == Outcome.STAFF_NOTE
    note = ticket.messages.last()
    assert (note.kind, note.author) == (MessageKind.NOTE, mail_world.supervisor)
    assert Ticket.objects.get(pk=ticket.pk).is_answered == was_answered


def test_a_stranger_replying_to_a_ticket_opens_a_new_linked_ticket(mail_world):
    ticket = mail_world.ticket()

    result = ingest(
        make_mail(sender="mallory@evil.example", subject=f"Re: [#{ticket.number}]"), "test"
    )

    inbound = result.inbound
    assert inbound is not None
    new = inbound.ticket
    assert new is not None and new != ticket
    assert new.requester_email == "mallory@evil.example"
    assert (inbound.outcome, inbound.match) == (Outcome.NEW_TICKET, Match.REFUSED)
    assert f"#{ticket.number}" in inbound.match_detail
    assert ticket.messages.count() == 1
    assert Event.objects.get(ticket=new, code="mail_from_ticket").new == f"#{ticket.number}"
    assert Event.objects.get(ticket=ticket, code="mail_to_new_ticket").new == f"#{new.number}"


def test_the_sender_comparison_ignores_case(mail_world):
    ticket = mail_world.ticket()

    ingest(make_mail(sender="ALICE@A.EXAMPLE", subject=f"[#{ticket.number}]"), "test")

    assert Ticket.objects.count() == 1


def test_every_stored_message_records_why_it_matched(mail_world):
    ticket = mail_world.ticket()
    ingest(make_mail(subject="new"), "test")
    ingest(make_mail(subject=f"[#{ticket.number}]"), "test")

    assert sorted(InboundMessage.objects.values_list("match", flat=True)) == [
        Match.NEW_TICKET,
        Match.SUBJECT_TAG,
    ]


def test_a_reply_to_a_sticky_ticket_keeps_its_assignee(mail_world):
    ticket = mail_world.ticket(mail_world.billing)
    actions.assign(actor=mail_world.supervisor, ticket=ticket, assignee=mail_world.agent)
    actions.change(actor=mail_world.supervisor, ticket=ticket, is_sticky=True)

    ingest(make_mail(subject=f"[#{ticket.number}]"), "test")

    assert Ticket.objects.get(pk=ticket.pk).assignee == mail_world.agent
