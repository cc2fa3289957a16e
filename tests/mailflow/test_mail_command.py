"""`frontdesk mail`: the quarantine and the outbox from the command line."""

from __future__ import annotations

import pytest
from django.core import mail as django_mail
from django.core.management import CommandError, call_command

from mail import ingest as ingest_module
from mail.ingest import ingest
from mail.models import OutgoingMail, OutgoingState, QuarantinedMessage
from tests.fixtures_mail import make_mail
from tickets import actions


def _quarantine_one(monkeypatch) -> QuarantinedMessage:
    with monkeypatch.context() as patched:
        patched.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)
        entry = ingest(make_mail(), "mailgate").quarantined
    assert entry is not None
    return entry


def test_it_lists_the_open_quarantine(mail_world, monkeypatch, capsys):
    entry = _quarantine_one(monkeypatch)

    call_command("mail", "quarantine")

    output = capsys.readouterr().out
    assert f"#{entry.pk}" in output and "ZeroDivisionError" in output


def test_reprocess_of_a_message_that_still_fails_says_so(mail_world, monkeypatch):
    entry = _quarantine_one(monkeypatch)
    monkeypatch.setattr(ingest_module.route, "locate", lambda parsed: 1 / 0)

    with pytest.raises(CommandError, match="1 message"):
        call_command("mail", "reprocess", str(entry.pk))

    entry.refresh_from_db()
    assert (entry.resolved, entry.attempts) == (False, 2)


def test_reprocess_refuses_an_unknown_entry(mail_world):
    with pytest.raises(CommandError, match="No open quarantine entry"):
        call_command("mail", "reprocess", "4242")


def test_send_delivers_what_is_due(mail_world, capsys):
    actions.answer(actor=mail_world.admin, ticket=mail_world.ticket(), text="Answer")

    call_command("mail", "send")

    assert "1 sent" in capsys.readouterr().out
    assert OutgoingMail.objects.get().state == OutgoingState.SENT
    assert len(django_mail.outbox) == 1
