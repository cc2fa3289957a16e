"""Queue addresses set up as aliases: the address the customer wrote to wins (issue 12).

Each message of tests/mail/route_*.eml is the header set one common MTA leaves
on a mail to billing@, an alias delivered into the support@ mailbox. Order:
the envelope's original recipient (X-Original-To, Exim's Envelope-to), then
To/Cc matching a queue, then Delivered-To, then the Received "for" clauses.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from mail.ingest import ingest
from mail.parse import parse
from tests.fixtures_mail import make_mail
from tests.mailflow.conftest import BILLING, SALES, SUPPORT
from tickets.models import Ticket

CORPUS = Path(__file__).resolve().parent.parent / "mail"
MTAS = ["postfix_alias", "exim_envelope_to", "sendmail_bcc", "dovecot_lmtp", "gmail_forwarding"]


@pytest.mark.parametrize("mta", MTAS)
def test_each_mtas_alias_headers_file_the_ticket_where_the_customer_wrote(mail_world, mta):
    raw = (CORPUS / f"route_{mta}.eml").read_bytes()

    result = ingest(raw, "imap:support")

    assert result.inbound is not None
    ticket = Ticket.objects.get()
    assert ticket.queue == mail_world.billing
    assert ticket.requester_email == "customer@test.example"
    assert "invoice shows the wrong amount" in ticket.messages.get().text


def test_the_envelope_headers_are_read_apart_from_delivered_to():
    postfix = parse((CORPUS / "route_postfix_alias.eml").read_bytes())
    assert postfix.original_to == [BILLING]
    assert postfix.delivered_to == [SUPPORT]
    exim = parse((CORPUS / "route_exim_envelope_to.eml").read_bytes())
    assert exim.original_to == [BILLING]
    sendmail = parse((CORPUS / "route_sendmail_bcc.eml").read_bytes())
    assert sendmail.original_to == []
    assert sendmail.received_for == [BILLING, "team@test.example"]


def test_x_original_to_wins_over_to(mail_world):
    ingest(make_mail(to=SUPPORT, headers={"X-Original-To": SALES}), "test")

    assert Ticket.objects.get().queue == mail_world.sales


def test_to_wins_over_delivered_to(mail_world):
    ingest(make_mail(to=BILLING, headers={"Delivered-To": SUPPORT}), "test")

    assert Ticket.objects.get().queue == mail_world.billing


def test_delivered_to_is_used_when_no_written_address_is_a_queue(mail_world):
    ingest(make_mail(to="team@test.example", headers={"Delivered-To": SALES}), "test")

    assert Ticket.objects.get().queue == mail_world.sales


def test_a_received_for_clause_of_a_foreign_address_does_not_route(mail_world):
    received = (
        "from a by b with ESMTP id 1 for <team@test.example>; Wed, 12 Mar 2025 14:30:00 +0000"
    )
    ingest(make_mail(to="team@test.example", headers={"Received": received}), "test")

    assert Ticket.objects.get().queue == mail_world.support
