"""Mail to a merged ticket lands in the ticket it was merged into (S43)."""

from __future__ import annotations

from mail import tokens
from mail.ingest import ingest
from mail.models import Match, Outcome
from tests.conftest import make_customer
from tests.fixtures_mail import make_mail, reply_to
from tickets import actions
from tickets.models import Ticket


def merged_pair(world):
    survivor, merged = world.ticket(world.billing), world.ticket(world.billing)
    actions.merge(actor=world.supervisor, ticket=merged, into=survivor)
    return survivor, merged


def test_a_reply_tagged_with_the_merged_tickets_number_lands_in_the_survivor(mail_world):
    survivor, merged = merged_pair(mail_world)

    result = ingest(make_mail(subject=f"Re: Cannot log in [#{merged.number}]"), "test")

    assert result.inbound is not None
    assert (result.inbound.outcome, result.inbound.match) == (Outcome.REPLY, Match.SUBJECT_TAG)
    assert result.inbound.ticket == survivor
    assert f"merged into #{survivor.number}" in result.inbound.match_detail
    assert survivor.messages.last().text.startswith("It is on fire")
    assert not Ticket.objects.get(pk=merged.pk).messages.exists()
    assert Ticket.objects.count() == 2


def test_a_reply_to_our_mail_about_the_merged_ticket_lands_in_the_survivor(mail_world):
    survivor, merged = merged_pair(mail_world)

    result = ingest(reply_to(tokens.make_message_id(merged.number), subject="no tag"), "test")

    assert result.inbound is not None and result.inbound.ticket == survivor


def test_a_reply_to_a_moved_message_threads_by_its_message_id(mail_world):
    first = ingest(make_mail(message_id="<first@a.example>"), "test")
    assert first.inbound is not None and first.inbound.ticket is not None
    survivor = mail_world.ticket()
    actions.merge(actor=mail_world.supervisor, ticket=first.inbound.ticket, into=survivor)

    result = ingest(reply_to("first@a.example", subject="different subject"), "test")

    assert result.inbound is not None
    assert (result.inbound.match, result.inbound.ticket) == (Match.MESSAGE_ID, survivor)


def test_the_merged_requester_of_the_same_account_may_still_reply(mail_world):
    make_customer("erin@a.example", mail_world.account_a)
    survivor = mail_world.ticket()
    merged = mail_world.ticket(requester_email="erin@a.example")
    actions.merge(actor=mail_world.supervisor, ticket=merged, into=survivor)

    result = ingest(make_mail(sender="erin@a.example", subject=f"[#{merged.number}]"), "test")

    assert result.inbound is not None
    assert (result.inbound.outcome, result.inbound.ticket) == (Outcome.REPLY, survivor)
