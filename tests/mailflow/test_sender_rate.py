"""One sender opens at most so many tickets per window; the rest wait in quarantine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mail import limits
from mail.ingest import ingest, read_raw, reprocess
from mail.models import Outcome, QuarantinedMessage
from tests.fixtures_mail import make_mail
from tests.test_indexes import assert_uses_index, plan
from tickets.models import Ticket


@pytest.fixture
def limited(mail_world, settings):
    settings.MAIL_NEW_TICKETS_PER_SENDER = 3
    settings.MAIL_NEW_TICKETS_WINDOW = 3600
    return mail_world


def _flood(count: int, sender: str = "Bot <bot@spam.example>") -> list[bytes]:
    raws = [make_mail(sender=sender, subject=f"Buy now {n}") for n in range(count)]
    for raw in raws:
        ingest(raw, "test")
    return raws


def test_a_sender_over_the_limit_is_held_in_quarantine_with_the_reason(limited):
    raws = _flood(5)

    assert Ticket.objects.filter(requester_email="bot@spam.example").count() == 3
    held = list(QuarantinedMessage.objects.order_by("id"))
    assert len(held) == 2
    for entry, raw in zip(held, raws[3:], strict=True):
        assert entry.error.startswith(limits.HELD_PREFIX)
        assert "bot@spam.example opened 3 tickets in the last 3600 seconds" in entry.error
        assert entry.traceback == ""
        assert read_raw(entry.raw.name) == raw


def test_other_senders_are_not_held(limited):
    _flood(4)

    result = ingest(make_mail(subject="A real question"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.NEW_TICKET


def test_replies_to_a_ticket_are_never_held(limited):
    _flood(4, sender="Alice <alice@a.example>")
    ticket = Ticket.objects.filter(requester_email="alice@a.example").earliest("created_at")

    result = ingest(make_mail(subject=f"Re: [#{ticket.number}]", body="More"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.REPLY


def test_tickets_older_than_the_window_do_not_count(limited):
    _flood(3)
    Ticket.objects.update(created_at=timezone.now() - timedelta(seconds=3601))

    result = ingest(make_mail(sender="bot@spam.example", subject="Later"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.NEW_TICKET


def test_the_limit_is_read_when_mail_arrives(limited, settings):
    _flood(3)
    settings.MAIL_NEW_TICKETS_PER_SENDER = 4

    result = ingest(make_mail(sender="bot@spam.example", subject="One more"), "test")

    assert result.inbound is not None and result.inbound.outcome == Outcome.NEW_TICKET


def test_an_admin_reprocessing_a_held_message_opens_its_ticket(limited):
    _flood(4)
    entry = QuarantinedMessage.objects.get()

    result = reprocess(entry)

    assert result.inbound is not None and result.inbound.outcome == Outcome.NEW_TICKET
    entry.refresh_from_db()
    assert entry.resolved
    assert Ticket.objects.filter(requester_email="bot@spam.example").count() == 4


def test_the_reprocess_command_keeps_a_flood_held_unless_named(limited):
    _flood(5)
    first, second = QuarantinedMessage.objects.order_by("id")

    with pytest.raises(CommandError):
        call_command("mail", "reprocess")
    assert QuarantinedMessage.objects.filter(resolved=False).count() == 2

    call_command("mail", "reprocess", str(first.pk))
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.resolved and not second.resolved


def test_admins_see_a_banner_and_the_count_on_the_mail_page(limited, client):
    _flood(5)
    client.force_login(limited.admin)

    home = client.get("/panel/").content.decode()
    page = client.get("/panel/mail/").content.decode()

    banner = home.split('id="mail-alert"')[1].split("</aside>")[0]
    assert "2 messages from senders over the new-ticket limit are held" in banner
    assert 'id="held-count">2<' in page


@pytest.mark.parametrize("person", ["agent", "supervisor"])
def test_only_administrators_see_the_banner(limited, client, person):
    _flood(5)
    client.force_login(getattr(limited, person))

    assert 'id="mail-alert"' not in client.get("/panel/").content.decode()


def test_the_banner_goes_once_the_held_mail_is_processed(limited, client):
    _flood(4)
    client.force_login(limited.admin)
    reprocess(QuarantinedMessage.objects.get())

    assert 'id="mail-alert"' not in client.get("/panel/").content.decode()


def test_counting_a_senders_tickets_is_served_by_the_requester_index(limited):
    _flood(3)
    for n in range(30):
        ingest(make_mail(sender=f"someone{n}@b.example", subject=f"Other {n}"), "test")

    lines = plan(
        lambda: limits.tickets_opened_by("bot@spam.example", timezone.now() - timedelta(hours=1))
    )

    assert_uses_index(lines, "ticket_requester")
