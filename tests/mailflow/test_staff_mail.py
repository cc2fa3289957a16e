"""Staff mail acts as staff only with proof: a From header naming an agent proves nothing.

Proof is a reply token Frontdesk signed for that person and that ticket (the
Reply-To and Message-ID of the copy a staff member gets), or a DKIM/DMARC pass
for the From domain by a server the admin trusts; and the person must be
allowed to see the ticket. Anything else is an outsider's mail.
"""

from __future__ import annotations

import pytest

from mail import authresults, tokens
from mail.ingest import ingest
from mail.models import Match, Outcome, OutgoingKind, OutgoingMail
from tests.fixtures_mail import make_mail, reply_to
from tickets import actions
from tickets.models import Event, MessageKind, Ticket

MX = "mx.frontdesk.example"


def _notes_by(ticket: Ticket, person) -> int:
    return ticket.messages.filter(kind=MessageKind.NOTE, author=person).count()


@pytest.mark.parametrize("assigned", [False, True], ids=["may not see it", "may see it"])
def test_a_from_header_naming_an_agent_and_a_subject_tag_make_no_internal_note(
    mail_world, assigned
):
    ticket = mail_world.ticket(mail_world.billing)
    if assigned:
        actions.assign(actor=mail_world.supervisor, ticket=ticket, assignee=mail_world.agent)
    forged = make_mail(
        sender=f"Alex Agent <{mail_world.agent.email}>",
        subject=f"Re: [#{ticket.number}]",
        body="Refund approved, send the money to the new account.",
    )

    result = ingest(forged, "test")

    inbound = result.inbound
    assert inbound is not None
    assert (inbound.outcome, inbound.match) == (Outcome.NEW_TICKET, Match.REFUSED)
    assert _notes_by(ticket, mail_world.agent) == 0
    assert ticket.messages.count() == 1
    new = inbound.ticket
    assert new is not None and new != ticket
    assert new.requester_email == mail_world.agent.email
    assert Event.objects.get(ticket=new, code="mail_from_ticket").new == f"#{ticket.number}"
    assert Event.objects.get(ticket=ticket, code="mail_to_new_ticket").new == f"#{new.number}"
    assert "no reply token Frontdesk signed" in inbound.match_detail


def test_a_reply_to_the_copy_a_staff_cc_got_is_their_internal_note(mail_world):
    ticket = mail_world.ticket(mail_world.billing, cc=[mail_world.supervisor.email])
    actions.answer(actor=mail_world.admin, ticket=ticket, text="We are on it.")
    copy = OutgoingMail.objects.get(recipient=mail_world.supervisor.email)

    result = ingest(
        reply_to(
            copy.message_id,
            sender=mail_world.supervisor.email,
            subject="Re: Cannot log in",
            body="I called them too.",
        ),
        "test",
    )

    inbound = result.inbound
    assert inbound is not None and inbound.outcome == Outcome.STAFF_NOTE
    assert inbound.ticket == ticket
    assert "signed staff reply token" in inbound.match_detail
    note = ticket.messages.order_by("id").last()
    assert (note.kind, note.author, note.text.strip()) == (
        MessageKind.NOTE,
        mail_world.supervisor,
        "I called them too.",
    )


def test_a_staff_cc_gets_a_copy_of_their_own_with_a_signed_reply_address(mail_world):
    ticket = mail_world.ticket(
        mail_world.billing, cc=["carol@a.example", mail_world.supervisor.email]
    )

    actions.answer(actor=mail_world.admin, ticket=ticket, text="We are on it.")

    customers = OutgoingMail.objects.get(recipient="alice@a.example")
    copy = OutgoingMail.objects.get(recipient=mail_world.supervisor.email)
    assert (customers.to, customers.cc) == (["alice@a.example"], ["carol@a.example"])
    assert (copy.kind, copy.to, copy.cc) == (OutgoingKind.ANSWER, [mail_world.supervisor.email], [])
    token = tokens.make_staff_reply_token(ticket.number, mail_world.supervisor.pk)
    assert f"billing+{token}@frontdesk.example" in copy.headers["Reply-To"]
    assert tokens.staff_tokens_in([copy.message_id]) == [
        tokens.StaffToken(ticket.number, mail_world.supervisor.pk)
    ]
    assert tokens.ticket_from_message_id(copy.message_id) == ticket.number


def test_the_staff_token_never_reaches_the_customer(mail_world):
    ticket = mail_world.ticket(mail_world.billing, cc=[mail_world.supervisor.email])
    actions.answer(actor=mail_world.admin, ticket=ticket, text="First answer.")
    actions.answer(actor=mail_world.admin, ticket=ticket, text="Second answer.")

    for row in OutgoingMail.objects.filter(recipient="alice@a.example"):
        visible = " ".join([row.message_id, *map(str, row.headers.values()), row.text, row.html])
        assert "fds-" not in visible
        assert "Reply-To" not in row.headers
    assert OutgoingMail.objects.filter(recipient=mail_world.supervisor.email).count() == 2


def test_a_staff_cc_who_may_not_see_the_ticket_is_an_ordinary_cc(mail_world):
    ticket = mail_world.ticket(mail_world.billing, cc=[mail_world.other_agent.email])

    actions.answer(actor=mail_world.admin, ticket=ticket, text="We are on it.")

    row = OutgoingMail.objects.get()
    assert row.cc == [mail_world.other_agent.email]
    assert "Reply-To" not in row.headers


def test_mail_to_the_signed_reply_address_alone_is_staff_mail(mail_world):
    ticket = mail_world.ticket(mail_world.billing)
    address = tokens.staff_reply_address(
        "billing@frontdesk.example", ticket.number, mail_world.supervisor.pk
    )

    result = ingest(
        make_mail(sender=mail_world.supervisor.email, to=address, subject="no tag", body="FYI"),
        "test",
    )

    inbound = result.inbound
    assert inbound is not None
    assert (inbound.outcome, inbound.match, inbound.ticket) == (
        Outcome.STAFF_NOTE,
        Match.TOKEN,
        ticket,
    )


def test_a_token_signed_for_another_staff_member_proves_nothing(mail_world):
    ticket = mail_world.ticket(mail_world.billing)
    admins_copy = tokens.make_staff_message_id(ticket.number, mail_world.admin.pk)

    result = ingest(reply_to(admins_copy, sender=mail_world.supervisor.email), "test")

    assert result.inbound is not None and result.inbound.match == Match.REFUSED
    assert _notes_by(ticket, mail_world.supervisor) == 0


def test_a_token_signed_for_another_ticket_proves_nothing(mail_world):
    target = mail_world.ticket(mail_world.billing)
    other = mail_world.ticket(mail_world.billing)
    other_address = tokens.staff_reply_address(
        "billing@frontdesk.example", other.number, mail_world.supervisor.pk
    )

    # Our signed Message-ID of the target ticket threads it; the staff token names another.
    result = ingest(
        reply_to(
            tokens.make_message_id(target.number),
            sender=mail_world.supervisor.email,
            to=other_address,
        ),
        "test",
    )

    assert result.inbound is not None
    assert (result.inbound.match, result.inbound.outcome) == (Match.REFUSED, Outcome.NEW_TICKET)
    assert _notes_by(target, mail_world.supervisor) == 0


def test_a_forged_token_proves_nothing(mail_world):
    ticket = mail_world.ticket(mail_world.billing)
    forged = f"fds-{ticket.number}-{mail_world.supervisor.pk}-{'0' * 24}.0123456789ab@x.example"

    result = ingest(
        reply_to(forged, sender=mail_world.supervisor.email, subject=f"Re: [#{ticket.number}]"),
        "test",
    )

    assert result.inbound is not None and result.inbound.match == Match.REFUSED


def test_a_token_signed_with_a_previous_key_still_counts(mail_world, settings):
    ticket = mail_world.ticket(mail_world.billing)
    copy_id = tokens.make_staff_message_id(ticket.number, mail_world.supervisor.pk)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-key-" * 4

    result = ingest(reply_to(copy_id, sender=mail_world.supervisor.email), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.STAFF_NOTE


def test_a_token_of_a_staff_member_who_may_not_see_the_ticket_is_not_staff_mail(mail_world):
    # A plain agent sees only tickets assigned to them.
    ticket = mail_world.ticket(mail_world.billing)
    copy_id = tokens.make_staff_message_id(ticket.number, mail_world.agent.pk)

    result = ingest(reply_to(copy_id, sender=mail_world.agent.email), "test")

    inbound = result.inbound
    assert inbound is not None and inbound.match == Match.REFUSED
    assert "may not see" in inbound.match_detail
    assert _notes_by(ticket, mail_world.agent) == 0


def test_a_refused_staff_mails_reply_address_does_not_become_a_cc(mail_world):
    ticket = mail_world.ticket(mail_world.billing)
    address = tokens.staff_reply_address(
        "billing@frontdesk.example", ticket.number, mail_world.agent.pk
    )

    result = ingest(make_mail(sender=mail_world.agent.email, to=address), "test")

    new = result.inbound.ticket if result.inbound else None
    assert new is not None and new != ticket
    assert new.cc == []


def _signed_mail(ticket: Ticket, sender: str, results: str) -> bytes:
    return make_mail(
        sender=sender,
        subject=f"Re: [#{ticket.number}]",
        headers={"Authentication-Results": results},
    )


def test_a_dkim_pass_by_a_trusted_server_makes_staff_mail(mail_world, settings):
    settings.MAIL_TRUSTED_AUTHSERV_IDS = [MX]
    ticket = mail_world.ticket(mail_world.billing)
    results = (
        f"{MX}; spf=pass smtp.mailfrom=frontdesk.example; "
        "dkim=pass (2048-bit key) header.d=frontdesk.example header.s=s1"
    )

    result = ingest(_signed_mail(ticket, mail_world.supervisor.email, results), "test")

    inbound = result.inbound
    assert inbound is not None and inbound.outcome == Outcome.STAFF_NOTE
    assert f"dkim=pass for frontdesk.example by {MX}" in inbound.match_detail


def test_a_dmarc_pass_by_a_trusted_server_makes_staff_mail(mail_world, settings):
    settings.MAIL_TRUSTED_AUTHSERV_IDS = [MX]
    ticket = mail_world.ticket(mail_world.billing)
    results = f"{MX}; dmarc=pass (p=reject dis=none) header.from=frontdesk.example"

    result = ingest(_signed_mail(ticket, mail_world.supervisor.email, results), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.STAFF_NOTE


@pytest.mark.parametrize(
    ("trusted", "results"),
    [
        ([], f"{MX}; dkim=pass header.d=frontdesk.example"),
        (["other.example"], f"{MX}; dkim=pass header.d=frontdesk.example"),
        ([MX], f"{MX}; dkim=pass header.d=evil.example"),
        ([MX], f"{MX}; dkim=fail header.d=frontdesk.example"),
        ([MX], f"{MX}; dmarc=pass header.from=evil.example"),
        ([MX], f"{MX}; dkim=pass header.d=example"),
    ],
    ids=[
        "nothing trusted",
        "another server",
        "another signing domain",
        "failed",
        "dmarc of another domain",
        "parent domain",
    ],
)
def test_authentication_results_prove_nothing_unless_trusted_and_passing(
    mail_world, settings, trusted, results
):
    settings.MAIL_TRUSTED_AUTHSERV_IDS = trusted
    ticket = mail_world.ticket(mail_world.billing)

    result = ingest(_signed_mail(ticket, mail_world.supervisor.email, results), "test")

    assert result.inbound is not None and result.inbound.match == Match.REFUSED
    assert _notes_by(ticket, mail_world.supervisor) == 0


def test_only_the_topmost_trusted_verdict_counts(mail_world, settings):
    settings.MAIL_TRUSTED_AUTHSERV_IDS = [MX]
    ticket = mail_world.ticket(mail_world.billing)
    # A sender's own header lower down, under the one our MTA added on top.
    raw = _signed_mail(
        ticket, mail_world.supervisor.email, f"{MX}; dkim=pass header.d=frontdesk.example"
    )
    raw = f"Authentication-Results: {MX}; dkim=fail header.d=frontdesk.example\n".encode() + raw

    result = ingest(raw, "test")

    assert result.inbound is not None and result.inbound.match == Match.REFUSED


def test_a_trusted_pass_of_staff_who_may_not_see_the_ticket_is_not_staff_mail(mail_world, settings):
    settings.MAIL_TRUSTED_AUTHSERV_IDS = [MX]
    ticket = mail_world.ticket(mail_world.billing)
    results = f"{MX}; dkim=pass header.d=frontdesk.example"

    result = ingest(_signed_mail(ticket, mail_world.agent.email, results), "test")

    assert result.inbound is not None and result.inbound.match == Match.REFUSED
    assert "may not see" in result.inbound.match_detail


def test_authentication_results_are_read_with_comments_and_quotes():
    verdict = authresults.parse(
        'mx.a.example (Postfix) 1; dkim=pass (good (nested) signature) header.d="a.example" '
        "header.s=s1; dmarc=fail header.from=a.example"
    )

    assert verdict is not None and verdict.authserv_id == "mx.a.example"
    assert verdict.results == [
        ("dkim", "pass", {"header.d": "a.example", "header.s": "s1"}),
        ("dmarc", "fail", {"header.from": "a.example"}),
    ]
