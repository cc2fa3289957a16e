"""Loop protection (RFC 3834): automatic mail gets no automatic answer (S29)."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail

from mail import tokens
from mail.ingest import ingest, reprocess_loop
from mail.loop import Kind, classify, strip_internal_headers
from mail.models import InboundMessage, Outcome, OutgoingKind, OutgoingMail
from mail.outbox import build_email, deliver
from mail.parse import MAX_HEADERS, parse
from tests.fixtures_mail import dsn_bounce, make_mail, reply_to
from tests.mailflow.conftest import SUPPORT
from tickets import actions
from tickets.models import Event, MessageKind, Status, Ticket


@pytest.fixture
def confirming(mail_world):
    """Every queue confirms new tickets and notices closing."""
    for queue in (mail_world.support, mail_world.billing, mail_world.sales):
        queue.new_ticket_response = "We got your message."
        queue.closed_ticket_response = "Your ticket is closed."
        queue.save()
    return mail_world


@pytest.mark.parametrize(
    ("headers", "sender", "kind"),
    [
        ({"Auto-Submitted": "auto-generated"}, "alice@a.example", Kind.AUTOMATIC),
        (
            {"Auto-Submitted": "auto-replied; owner-email=x@a.example"},
            "a@a.example",
            Kind.AUTO_REPLY,
        ),
        ({"Precedence": "bulk"}, "alice@a.example", Kind.BULK),
        ({"Precedence": "junk"}, "alice@a.example", Kind.BULK),
        ({"Precedence": "list"}, "alice@a.example", Kind.LIST),
        ({"Precedence": "auto_reply"}, "alice@a.example", Kind.AUTO_REPLY),
        ({"List-Id": "<users.lists.a.example>"}, "alice@a.example", Kind.LIST),
        ({"List-Unsubscribe": "<mailto:leave@a.example>"}, "alice@a.example", Kind.LIST),
        ({"X-Autoreply": "yes"}, "alice@a.example", Kind.AUTO_REPLY),
        ({"Return-Path": "<>"}, "alice@a.example", Kind.BOUNCE),
        ({}, "MAILER-DAEMON@mx.a.example", Kind.BOUNCE),
        ({}, "postmaster@a.example", Kind.BOUNCE),
    ],
)
def test_automatic_mail_is_recognised(headers, sender, kind):
    classification = classify(parse(make_mail(sender=sender, headers=headers)))

    assert classification.kind == kind
    assert classification.suppress_auto_response


def test_a_persons_mail_is_not_automatic():
    classification = classify(parse(make_mail(headers={"Auto-Submitted": "no"})))

    assert classification.kind == Kind.PERSON
    assert not classification.suppress_auto_response


def test_x_auto_response_suppress_asks_for_no_answer_without_being_automatic():
    classification = classify(parse(make_mail(headers={"X-Auto-Response-Suppress": "All"})))

    assert classification.kind == Kind.PERSON and classification.suppress_auto_response


def test_a_dsn_report_is_a_bounce():
    assert classify(parse(dsn_bounce("Subject: x"))).kind == Kind.BOUNCE


@pytest.mark.django_db
def test_our_own_loop_header_and_message_id_mean_a_loop(mail_world):
    sent_id = "sent-1@frontdesk.example"
    looped = make_mail(
        message_id=f"<{sent_id}>", headers={tokens.LOOP_HEADER: tokens.loop_mark(sent_id)}
    )
    ours = make_mail(message_id=f"<{tokens.make_message_id(5)}>")

    assert classify(parse(looped)).kind == Kind.LOOP
    assert classify(parse(ours)).kind == Kind.LOOP


def test_another_installations_loop_header_is_not_ours_and_is_stripped():
    parsed = parse(make_mail(headers={tokens.LOOP_HEADER: "0123456789abcdef01234567"}))

    assert classify(parsed).kind == Kind.PERSON
    assert strip_internal_headers(parsed).header(tokens.LOOP_HEADER) == []


def test_our_own_mail_coming_back_is_kept_and_goes_no_further(confirming):
    sent_id = "sent-2@frontdesk.example"
    result = ingest(
        make_mail(
            message_id=f"<{sent_id}>", headers={tokens.LOOP_HEADER: tokens.loop_mark(sent_id)}
        ),
        "test",
    )

    assert result.inbound is not None and result.inbound.outcome == Outcome.LOOP
    assert not Ticket.objects.exists() and not OutgoingMail.objects.exists()


def test_a_person_gets_a_confirmation_of_a_new_ticket(
    confirming, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ingest(make_mail(), "test")

    assert OutgoingMail.objects.get().kind == OutgoingKind.NEW_TICKET
    assert django_mail.outbox[0].to == ["alice@a.example"]


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto-Submitted": "auto-generated"},
        {"Precedence": "list", "List-Id": "<users.lists.a.example>"},
        {"X-Auto-Response-Suppress": "All"},
    ],
)
def test_automatic_mail_opens_a_ticket_without_a_confirmation(confirming, headers):
    result = ingest(make_mail(headers=headers), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.NEW_TICKET
    assert result.inbound.suppress_auto_response
    assert not OutgoingMail.objects.exists()


def test_a_ticket_from_a_mailing_list_gets_no_closed_notice_either(confirming):
    ingest(make_mail(headers={"List-Id": "<users.lists.a.example>"}), "test")

    actions.close(actor=confirming.supervisor, ticket=Ticket.objects.get())
    # The notice is composed by its sender, which finds the ticket came from a list.
    for pending in OutgoingMail.objects.values_list("pk", flat=True):
        assert deliver(pending) is False

    assert not OutgoingMail.objects.exists()
    assert django_mail.outbox == []


def test_mail_from_our_own_address_gets_no_confirmation(confirming):
    ingest(make_mail(sender=SUPPORT, to="billing@frontdesk.example"), "test")

    assert Ticket.objects.count() == 1
    assert not OutgoingMail.objects.exists()


def test_automatic_mail_to_one_recipient_stops_at_the_cap_and_says_so(confirming, settings):
    settings.MAIL_AUTO_RESPONSE_LIMIT = 3

    for number in range(5):
        ingest(make_mail(subject=f"Mail {number}"), "test")

    assert OutgoingMail.objects.filter(recipient="alice@a.example").count() == 3
    capped = Event.objects.filter(code="auto_mail_capped")
    assert capped.count() == 2
    assert capped.all()[0].new.startswith("alice@a.example")


def test_answers_by_staff_do_not_count_against_the_cap(confirming, settings):
    settings.MAIL_AUTO_RESPONSE_LIMIT = 1
    ticket = confirming.ticket()
    for number in range(3):
        actions.answer(actor=confirming.admin, ticket=ticket, text=f"Answer {number}")

    assert OutgoingMail.objects.filter(kind=OutgoingKind.ANSWER).count() == 3


def _sent_answer(world) -> tuple[Ticket, OutgoingMail]:
    ticket = world.ticket()
    actions.change(actor=world.admin, ticket=ticket, status=Status.ON_HOLD)
    actions.answer(actor=world.admin, ticket=ticket, text="Try turning it off.")
    return Ticket.objects.get(pk=ticket.pk), OutgoingMail.objects.get(kind=OutgoingKind.ANSWER)


def test_a_bounce_is_attached_to_the_ticket_it_answers_without_reopening_it(mail_world):
    ticket, answer = _sent_answer(mail_world)
    status = ticket.status
    bounce = dsn_bounce(f"Message-ID: <{answer.message_id}>\nSubject: {answer.subject}")

    result = ingest(bounce, "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.ATTACHED
    assert result.inbound.ticket == ticket
    ticket.refresh_from_db()
    assert ticket.status == status and ticket.is_answered
    note = ticket.messages.order_by("id").reverse()[0]
    assert note.kind == MessageKind.NOTE
    assert Event.objects.filter(ticket=ticket, code=Kind.BOUNCE).exists()
    assert Ticket.objects.count() == 1


def test_an_out_of_office_reply_is_attached_without_reopening(mail_world):
    ticket, answer = _sent_answer(mail_world)
    auto_reply = reply_to(
        answer.message_id,
        subject="Out of office",
        body="I am away until Monday.",
        headers={"Auto-Submitted": "auto-replied"},
    )

    result = ingest(auto_reply, "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.ATTACHED
    refreshed = Ticket.objects.get(pk=ticket.pk)
    assert (refreshed.status, refreshed.is_answered) == (ticket.status, True)


def test_a_bounce_that_answers_nothing_of_ours_is_kept_without_a_ticket(mail_world):
    result = ingest(dsn_bounce("Message-ID: <unknown@elsewhere.example>"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.IGNORED
    assert not Ticket.objects.exists()


def test_a_forged_token_in_a_bounce_finds_nothing(mail_world):
    ticket = mail_world.ticket()
    forged = f"fd.{ticket.number}.0123456789abcdef.{'1' * 32}@frontdesk.example"

    result = ingest(dsn_bounce(f"Message-ID: <{forged}>"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.IGNORED


def test_a_strangers_bounce_with_only_a_subject_tag_lands_on_no_ticket(mail_world):
    ticket = mail_world.ticket()
    fake = make_mail(
        sender="mallory@evil.example",
        subject=f"Undeliverable: [#{ticket.number}]",
        body="Call this number to restore your mailbox.",
        headers={"Auto-Submitted": "auto-replied"},
    )

    result = ingest(fake, "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.IGNORED
    assert ticket.messages.count() == 1


def test_the_requesters_out_of_office_with_only_a_subject_tag_is_attached(mail_world):
    ticket = mail_world.ticket()
    auto_reply = make_mail(
        subject=f"Automatic reply: Re: Cannot log in [#{ticket.number}]",
        body="I am away.",
        headers={"Auto-Submitted": "auto-replied"},
    )

    result = ingest(auto_reply, "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.ATTACHED
    assert result.inbound.ticket == ticket


def with_header(raw: bytes, line: str) -> bytes:
    """``raw`` with one more header line at the end of its header block."""
    head, _, body = raw.partition(b"\n\n")
    return head + b"\n" + line.encode() + b"\n\n" + body


@pytest.mark.parametrize(
    ("first", "second", "kind"),
    [
        ("Auto-Submitted: no", "Auto-Submitted: auto-generated", Kind.AUTOMATIC),
        ("Auto-Submitted: no", "Auto-Submitted: auto-replied", Kind.AUTO_REPLY),
        ("Precedence: normal", "Precedence: bulk", Kind.BULK),
        ("Precedence: first-class", "Precedence: list", Kind.LIST),
        ("Precedence: normal", "Precedence: auto_reply", Kind.AUTO_REPLY),
        ("Return-Path: <alice@a.example>", "Return-Path: <>", Kind.BOUNCE),
        ("Content-Type: text/plain", "Content-Type: multipart/report", Kind.BOUNCE),
    ],
)
def test_a_second_header_that_marks_the_mail_automatic_counts(first, second, kind):
    name, value = first.split(": ", 1)
    raw = with_header(make_mail(headers={name: value}), second)

    classification = classify(parse(raw))

    assert classification.kind == kind
    assert classification.suppress_auto_response


def test_a_second_auto_submitted_header_gets_no_confirmation(confirming):
    raw = with_header(make_mail(headers={"Auto-Submitted": "no"}), "Auto-Submitted: auto-generated")

    result = ingest(raw, "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.NEW_TICKET
    assert result.inbound.suppress_auto_response
    assert not OutgoingMail.objects.exists()


def test_a_mail_with_more_headers_than_are_read_gets_no_confirmation(confirming):
    head, _, body = make_mail().partition(b"\n\n")
    filler = b"".join(f"X-Filler-{n}: {n}\n".encode() for n in range(MAX_HEADERS))
    raw = head + b"\n" + filler + b"Auto-Submitted: auto-generated\n\n" + body

    result = ingest(raw, "test")

    assert result.inbound is not None and result.inbound.suppress_auto_response
    assert not OutgoingMail.objects.exists()


def test_each_mail_we_send_has_a_loop_mark_of_its_own(mail_world):
    ticket = mail_world.ticket()
    actions.answer(actor=mail_world.admin, ticket=ticket, text="One")
    actions.answer(actor=mail_world.admin, ticket=ticket, text="Two")

    first, second = OutgoingMail.objects.order_by("id")

    assert first.headers[tokens.LOOP_HEADER] != second.headers[tokens.LOOP_HEADER]
    assert tokens.is_our_loop_mark(first.headers[tokens.LOOP_HEADER], first.message_id)
    assert not tokens.is_our_loop_mark(first.headers[tokens.LOOP_HEADER], second.message_id)


def test_our_sent_mail_coming_back_whole_is_a_loop(mail_world):
    _, answer = _sent_answer(mail_world)

    result = ingest(build_email(answer).message().as_bytes(), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.LOOP
    assert f"{tokens.LOOP_HEADER} is ours" in result.inbound.automatic_reasons


def test_a_loop_mark_copied_into_a_reply_is_no_loop(mail_world):
    ticket, answer = _sent_answer(mail_world)
    copied = reply_to(
        answer.message_id,
        body="Please do not drop me.",
        headers={tokens.LOOP_HEADER: answer.headers[tokens.LOOP_HEADER]},
    )

    result = ingest(copied, "test")

    assert result.inbound is not None
    assert (result.inbound.outcome, result.inbound.ticket) == (Outcome.REPLY, ticket)
    assert ticket.messages.order_by("id").reverse()[0].text.strip() == "Please do not drop me."


def test_a_mark_made_for_one_message_id_is_not_ours_on_another():
    mark = tokens.loop_mark("sent-3@frontdesk.example")

    parsed = parse(make_mail(message_id="<other@a.example>", headers={tokens.LOOP_HEADER: mark}))

    assert classify(parsed).kind == Kind.PERSON


def test_a_mark_signed_with_a_previous_key_still_means_a_loop(settings):
    sent_id = "sent-4@frontdesk.example"
    mark = tokens.loop_mark(sent_id)
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-rotated-key-" * 4

    raw = make_mail(message_id=f"<{sent_id}>", headers={tokens.LOOP_HEADER: mark})

    assert classify(parse(raw)).kind == Kind.LOOP


def _kept_as_loop(subject: str = "Not really a loop") -> InboundMessage:
    sent_id = "sent-5@frontdesk.example"
    raw = make_mail(
        message_id=f"<{sent_id}>",
        subject=subject,
        headers={tokens.LOOP_HEADER: tokens.loop_mark(sent_id)},
    )
    result = ingest(raw, "test")
    assert result.inbound is not None and result.inbound.outcome == Outcome.LOOP
    return result.inbound


def test_reprocessing_a_loop_ingests_it_without_the_loop_mark(mail_world):
    inbound = _kept_as_loop()

    row = reprocess_loop(inbound, by=mail_world.admin)

    assert row.outcome == Outcome.NEW_TICKET
    assert row.ticket is not None and row.ticket.title == "Not really a loop"
    assert "re-processed by admin@frontdesk.example" in row.match_detail
    assert InboundMessage.objects.count() == 1
    assert reprocess_loop(row, by=mail_world.admin).ticket == row.ticket
    assert Ticket.objects.count() == 1


def test_admins_see_recent_loops_on_the_mail_page_and_in_a_banner(mail_world, client):
    inbound = _kept_as_loop()
    client.force_login(mail_world.admin)

    page = client.get("/panel/mail/").content.decode()
    home = client.get("/panel/").content.decode()

    listed = page.split('id="loop-list"')[1].split("</table>")[0]
    assert f'id="loop-{inbound.pk}"' in listed and "Not really a loop" in listed
    assert f"/panel/mail/loops/{inbound.pk}/reprocess/" in listed
    banner = home.split('id="mail-alert"')[1].split("</aside>")[0]
    assert "1 message was kept as a loop in the last day." in banner


def test_an_admin_reprocesses_a_loop_from_the_mail_page(mail_world, client):
    inbound = _kept_as_loop()
    client.force_login(mail_world.admin)

    response = client.post(f"/panel/mail/loops/{inbound.pk}/reprocess/")

    assert response.status_code == 302
    inbound.refresh_from_db()
    assert inbound.outcome == Outcome.NEW_TICKET
    assert 'id="mail-alert"' not in client.get("/panel/").content.decode()


@pytest.mark.parametrize("person", ["agent", "supervisor"])
def test_only_administrators_reprocess_loops_or_see_the_banner(mail_world, client, person):
    inbound = _kept_as_loop()
    client.force_login(getattr(mail_world, person))

    assert client.post(f"/panel/mail/loops/{inbound.pk}/reprocess/").status_code == 403
    inbound.refresh_from_db()
    assert inbound.outcome == Outcome.LOOP
    assert 'id="mail-alert"' not in client.get("/panel/").content.decode()


def test_a_loop_that_cannot_be_processed_stays_kept_and_the_admin_is_told(mail_world, client):
    sent_id = "sent-6@frontdesk.example"
    raw = make_mail(
        message_id=f"<{sent_id}>", headers={tokens.LOOP_HEADER: tokens.loop_mark(sent_id)}
    )
    inbound = ingest(raw.replace(b"From: Alice <alice@a.example>\n", b""), "test").inbound
    assert inbound is not None and inbound.outcome == Outcome.LOOP
    client.force_login(mail_world.admin)

    page = client.post(f"/panel/mail/loops/{inbound.pk}/reprocess/", follow=True).content.decode()

    assert "It could not be processed: Unprocessable" in page
    inbound.refresh_from_db()
    assert inbound.outcome == Outcome.LOOP and not Ticket.objects.exists()


def test_closed_notices_composed_later_still_stop_at_the_cap(confirming, settings):
    """A closed notice is counted against the cap when its sender composes it, by
    the automatic mail queued before it (the new ticket's confirmation here)."""
    settings.MAIL_AUTO_RESPONSE_LIMIT = 3
    confirming.support.closed_ticket_response = "We closed your ticket."
    confirming.support.save()
    ingest(make_mail(), "test")
    ticket = Ticket.objects.get()
    for _round in range(3):
        actions.close(actor=confirming.supervisor, ticket=ticket)
        actions.reopen(actor=confirming.supervisor, ticket=ticket)
    queued = list(OutgoingMail.objects.order_by("id").values_list("pk", "kind"))
    assert [kind for _pk, kind in queued] == [OutgoingKind.NEW_TICKET] + [OutgoingKind.CLOSED] * 3

    sent = [deliver(pk) for pk, _kind in queued]

    assert sent == [True, True, True, False]
    assert len(django_mail.outbox) == 3
    assert list(OutgoingMail.objects.order_by("id").values_list("pk", flat=True)) == [
        pk for pk, _kind in queued[:3]
    ]
    capped = Event.objects.filter(ticket=ticket, code="auto_mail_capped")
    assert capped.count() == 1
