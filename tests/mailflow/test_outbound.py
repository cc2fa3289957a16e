"""Outgoing mail: answers, confirmations, notices, and the outbox they go through (S29-S32)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail as django_mail
from django.db import transaction
from django.utils import timezone

from accounts.actors import AUTO_CLOSE
from accounts.models import Role
from mail import outbox, tokens
from mail.ingest import ingest
from mail.models import OutgoingKind, OutgoingMail, OutgoingState
from mail.outbound import clean_header
from mail.outbox import failed_mail_for, retry
from tests.conftest import make_staff, upload
from tests.fixtures_mail import make_mail
from tests.mailflow.conftest import BILLING, SUPPORT
from tickets import actions
from tickets.models import Ticket, TicketType


@pytest.fixture
def answered(mail_world, django_capture_on_commit_callbacks):
    """A mailed-in billing ticket with a CC, answered by an agent with a profile."""
    ann = make_staff("ann@frontdesk.example", Role.SUPERVISOR, mail_world.billing)
    profile = ann.staff_profile
    profile.full_name, profile.description = "Ann Lee", "billing"
    profile.signature = "Ann Lee\nBilling team"
    profile.save()
    ingest(
        make_mail(
            to=BILLING,
            subject="Invoice wrong",
            body="My invoice is wrong.\nPlease fix.",
            message_id="<customer-1@a.example>",
            headers={"Cc": "carol@a.example"},
        ),
        "test",
    )
    ticket = Ticket.objects.get()
    actions.assign(actor=ann, ticket=ticket, assignee=ann)
    with django_capture_on_commit_callbacks(execute=True):
        actions.answer(
            actor=ann,
            ticket=ticket,
            text="Fixed it.",
            attachments=[upload("invoice.pdf", b"%PDF-1.4 fake")],
        )
    return ticket, OutgoingMail.objects.get(kind=OutgoingKind.ANSWER), django_mail.outbox[-1]


def test_an_answer_goes_from_the_queue_address_to_the_requester_and_ccs(answered):
    _, _, sent = answered

    assert "billing@frontdesk.example" in sent.from_email
    assert sent.to == ["alice@a.example"]
    assert sent.cc == ["carol@a.example"]


def test_an_answer_is_threaded_and_tagged(answered):
    ticket, row, sent = answered
    message = sent.message()

    assert f"[#{ticket.number}]" in message["Subject"]
    assert message["Message-ID"] == f"<{row.message_id}>"
    assert tokens.ticket_from_message_id(row.message_id) == ticket.number
    assert message["In-Reply-To"] == "<customer-1@a.example>"
    assert "<customer-1@a.example>" in message["References"]
    assert message[tokens.LOOP_HEADER] == tokens.loop_mark(row.message_id)
    assert message["Auto-Submitted"] is None


def test_an_answer_has_the_assignee_line_the_signature_and_the_quote(answered):
    _, _, sent = answered
    body = sent.body

    assert body.startswith("Assigned to: Ann Lee (billing)\n")
    assert body.index("Fixed it.") < body.index("-- \nAnn Lee\nBilling team")
    assert "wrote:\n> My invoice is wrong.\n> Please fix." in body
    html = sent.alternatives[0][0]
    assert "Assigned to: Ann Lee (billing)" in html and "<blockquote" in html


def test_an_answer_carries_its_attachments(answered):
    _, _, sent = answered

    assert [(name, content) for name, content, _ in sent.attachments] == [
        ("invoice.pdf", b"%PDF-1.4 fake")
    ]


def test_the_customers_reply_to_our_answer_threads_back(answered):
    ticket, row, _ = answered

    result = ingest(
        make_mail(
            subject="Re: thanks",
            headers={"In-Reply-To": f"<{row.message_id}>", "References": f"<{row.message_id}>"},
        ),
        "test",
    )

    assert result.inbound is not None and result.inbound.ticket == ticket


def test_encrypted_text_is_never_quoted(mail_world):
    armored = "-----BEGIN PGP MESSAGE-----\n\nhQEMA123secret\n-----END PGP MESSAGE-----"
    ticket = mail_world.ticket(text=f"My password is below.\n{armored}")

    actions.answer(actor=mail_world.admin, ticket=ticket, text="Thanks")

    text = OutgoingMail.objects.get(kind=OutgoingKind.ANSWER).text
    assert "hQEMA123secret" not in text and "BEGIN PGP" not in text
    assert "[encrypted information, not quoted]" in text


def test_a_title_with_line_breaks_cannot_inject_a_header(mail_world):
    ticket = mail_world.ticket()
    Ticket.objects.filter(pk=ticket.pk).update(title="Hi\r\nBcc: victim@evil.example")

    actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")

    row = OutgoingMail.objects.get(kind=OutgoingKind.ANSWER)
    message = outbox.build_email(row).message()
    assert message["Bcc"] is None
    assert "\n" not in row.subject and "Bcc: victim@evil.example" in row.subject


def test_clean_header_flattens_every_line_break():
    assert clean_header("a\rb\nc\r\nd\u2028e\x00f") == "a b c d e f"


def test_no_mail_goes_to_an_address_of_our_own(mail_world):
    ticket = mail_world.ticket(requester_email=SUPPORT)

    actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")

    assert not OutgoingMail.objects.exists()


def test_the_main_support_address_is_used_when_the_queue_has_none(mail_world):
    mail_world.sales.addresses.all().delete()
    ticket = mail_world.ticket(mail_world.sales)

    actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")

    assert SUPPORT in OutgoingMail.objects.get().from_address


def test_a_new_ticket_confirmation_uses_the_queues_text(mail_world):
    mail_world.support.new_ticket_response = "Thank you, we will answer within a day."
    mail_world.support.save()

    ingest(make_mail(subject="Help & <more>"), "test")

    row = OutgoingMail.objects.get()
    ticket = Ticket.objects.get()
    assert row.kind == OutgoingKind.NEW_TICKET
    assert row.subject == f"[#{ticket.number}] Received: Help & <more>"
    assert "Thank you, we will answer within a day." in row.text
    assert "Help &amp; &lt;more&gt;" in row.html
    assert row.headers["Auto-Submitted"] == "auto-replied"


def test_a_queue_without_confirmation_text_sends_none(mail_world):
    ingest(make_mail(), "test")

    assert not OutgoingMail.objects.exists()


def test_a_staff_ticket_with_no_confirmation_sends_none(mail_world):
    mail_world.support.new_ticket_response = "Got it."
    mail_world.support.save()

    actions.open_ticket(
        actor=mail_world.admin,
        title="Phoned in",
        requester_email="alice@a.example",
        text="Customer called.",
        type=TicketType.STAFF,
        send_confirmation=False,
    )
    actions.open_ticket(
        actor=mail_world.admin,
        title="Phoned in again",
        requester_email="alice@a.example",
        text="Customer called.",
        type=TicketType.STAFF,
    )

    assert OutgoingMail.objects.get().subject.endswith("Phoned in again")


def test_closing_a_ticket_sends_the_queues_closed_notice(mail_world):
    mail_world.support.closed_ticket_response = "We closed your ticket."
    mail_world.support.save()
    ticket = mail_world.ticket()

    actions.close(actor=mail_world.admin, ticket=ticket)
    actions.reopen(actor=mail_world.admin, ticket=ticket)
    actions.change(actor=mail_world.admin, ticket=ticket, status="resolved")

    rows = OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED).order_by("id")
    assert rows.count() == 2
    # Written by the worker that sends it, in words of the moment each was queued.
    assert [row.text for row in rows] == ["", ""]
    for row in rows:
        assert outbox.deliver(row.pk) is True
    closed, resolved = rows.all()
    assert "We closed your ticket." in closed.text
    assert "Closed:" in closed.subject
    assert "Resolved:" in resolved.subject
    assert closed.compose == resolved.compose == {}
    assert [message.subject for message in django_mail.outbox] == [closed.subject, resolved.subject]


def test_a_customer_who_closes_their_own_ticket_gets_no_closed_notice(mail_world):
    mail_world.support.closed_ticket_response = "We closed your ticket."
    mail_world.support.save()
    ticket = mail_world.ticket()

    actions.close(actor=mail_world.customer_a, ticket=ticket)

    assert not OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED).exists()
    # Closed by the lifecycle job or by staff, the customer is told.
    actions.reopen(actor=mail_world.customer_a, ticket=ticket)
    actions.close(actor=AUTO_CLOSE, ticket=ticket)
    assert OutgoingMail.objects.filter(kind=OutgoingKind.CLOSED).count() == 1


def test_notes_send_nothing(mail_world):
    ticket = mail_world.ticket()

    actions.add_note(actor=mail_world.admin, ticket=ticket, text="internal")

    assert not OutgoingMail.objects.exists()


def test_the_outbox_row_rolls_back_with_the_action(mail_world):
    ticket = mail_world.ticket()

    with pytest.raises(RuntimeError), transaction.atomic():
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")
        raise RuntimeError("the request failed after the answer")

    assert not OutgoingMail.objects.exists()


def test_an_answer_is_sent_after_the_commit_by_the_task(
    mail_world, django_capture_on_commit_callbacks
):
    ticket = mail_world.ticket()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")
        assert django_mail.outbox == []

    # The outbox task, and the domain signal of the answer.
    assert len(callbacks) == 2
    assert len(django_mail.outbox) == 1
    row = OutgoingMail.objects.get()
    assert (row.state, row.attempts) == (OutgoingState.SENT, 1)


def test_a_mail_is_claimed_once_so_it_is_sent_once(mail_world):
    actions.answer(actor=mail_world.admin, ticket=mail_world.ticket(), text="Answer")
    row = OutgoingMail.objects.get()

    assert outbox.deliver(row.pk) is True
    assert outbox.deliver(row.pk) is False
    assert outbox.sweep() == 0
    assert len(django_mail.outbox) == 1


def test_a_sender_that_died_while_holding_a_mail_leaves_it_to_the_sweep(mail_world):
    actions.answer(actor=mail_world.admin, ticket=mail_world.ticket(), text="Answer")
    row = OutgoingMail.objects.get()
    OutgoingMail.objects.filter(pk=row.pk).update(
        state=OutgoingState.SENDING, claimed_until=timezone.now() + timedelta(minutes=5)
    )

    assert outbox.sweep() == 0
    assert outbox.sweep(now=timezone.now() + timedelta(minutes=6)) == 1
    assert len(django_mail.outbox) == 1


def _failing_backend(settings):
    settings.EMAIL_BACKEND = "tests.mailflow.test_outbound.BrokenBackend"


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP server down")


def test_a_failing_mail_backs_off_then_shows_on_its_ticket(mail_world, settings):
    settings.MAIL_OUTBOX_MAX_ATTEMPTS = 3
    settings.MAIL_OUTBOX_BACKOFF = 60
    _failing_backend(settings)
    ticket = mail_world.ticket()
    actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")
    row = OutgoingMail.objects.get()
    start = timezone.now()

    outbox.deliver(row.pk, now=start)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutgoingState.QUEUED, 1)
    assert row.next_attempt_at == start + timedelta(seconds=60)
    assert "SMTP server down" in row.last_error
    assert outbox.sweep(now=start + timedelta(seconds=30)) == 0

    outbox.sweep(now=start + timedelta(seconds=61))
    row.refresh_from_db()
    assert row.next_attempt_at == start + timedelta(seconds=61 + 120)
    outbox.sweep(now=start + timedelta(seconds=400))
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutgoingState.FAILED, 3)
    assert list(failed_mail_for(ticket)) == [row]


def test_retry_sends_a_failed_mail_again(mail_world, settings, django_capture_on_commit_callbacks):
    settings.MAIL_OUTBOX_MAX_ATTEMPTS = 1
    _failing_backend(settings)
    ticket = mail_world.ticket()
    actions.answer(actor=mail_world.admin, ticket=ticket, text="Answer")
    row = OutgoingMail.objects.get()
    outbox.deliver(row.pk)
    assert OutgoingMail.objects.get().state == OutgoingState.FAILED
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        assert retry(row.pk) is True

    row.refresh_from_db()
    assert row.state == OutgoingState.SENT and row.last_error == ""
    assert list(failed_mail_for(ticket)) == []
    assert len(django_mail.outbox) == 1


def test_a_closed_notice_is_written_by_its_sender_and_kept_when_writing_fails(
    mail_world, monkeypatch
):
    """The closing writes a row to be composed (no portal link yet); a failure while
    composing counts as a failed attempt and keeps the row for the next one."""
    from mail import outbound
    from portal.models import PortalLink

    mail_world.support.closed_ticket_response = "We closed your ticket."
    mail_world.support.save()
    ticket = mail_world.ticket()
    actions.close(actor=mail_world.admin, ticket=ticket)
    row = OutgoingMail.objects.get(kind=OutgoingKind.CLOSED)
    ticket.refresh_from_db()
    assert row.compose == {
        "notice": "closed",
        "status": "closed",
        "closed_at": ticket.closed_at.isoformat(),
    }
    assert not PortalLink.objects.filter(ticket=ticket).exists()

    def broken(row):
        raise RuntimeError("template missing")

    with monkeypatch.context() as patched:
        patched.setattr(outbound, "compose_pending", broken)
        assert outbox.deliver(row.pk) is False
    row.refresh_from_db()
    assert (row.state, row.attempts, row.text) == (OutgoingState.QUEUED, 1, "")
    assert "template missing" in row.last_error

    assert outbox.deliver(row.pk, now=row.next_attempt_at) is True
    row.refresh_from_db()
    assert row.state == OutgoingState.SENT
    assert "We closed your ticket." in row.text
    link = PortalLink.objects.get(ticket=ticket)
    assert link.email == row.recipient
    assert django_mail.outbox[-1].body == row.text
