"""The local sink: the demo's mail kept and listed on the Mail page instead of sent (issue 10)."""

from __future__ import annotations

import logging
import os

import pytest

from frontdesk.management.commands.run import demo_mail_to_sink
from mail import outbox
from mail.models import OutgoingMail, OutgoingState
from mail.sending import SINK_BACKEND
from tickets import actions


@pytest.fixture
def sink(settings):
    settings.EMAIL_BACKEND = SINK_BACKEND


def test_the_sink_takes_the_mail_as_sent_without_a_server(world, sink, caplog):
    ticket = world.ticket()
    actions.answer(actor=world.supervisor, ticket=ticket, text="Try turning it off and on.")
    with caplog.at_level(logging.INFO):
        outbox.sweep()
    rows = OutgoingMail.objects.filter(ticket=ticket)
    assert rows.exists()
    assert set(rows.values_list("state", "last_error")) == {(OutgoingState.SENT, "")}
    assert "kept by the local sink" in caplog.text
    assert "refused" not in caplog.text


def test_the_mail_page_lists_what_the_sink_kept(world, sink, as_user):
    ticket = world.ticket(title="Printer on fire")
    actions.answer(actor=world.supervisor, ticket=ticket, text="Try turning it off and on.")
    outbox.sweep()
    page = as_user(world.admin).get("/panel/mail/").content.decode()
    assert 'id="sending-sink"' in page
    assert "Printer on fire" in page.split('id="sink-list"', 1)[1]
    assert "Try turning it off and on." in page
    assert f'href="/panel/tickets/{ticket.number}/"' in page


def test_without_the_sink_the_mail_page_lists_no_kept_mail(world, as_user):
    page = as_user(world.admin).get("/panel/mail/").content.decode()
    assert 'id="sink-list"' not in page and 'id="sending-sink"' not in page


def test_the_demo_sends_to_the_sink_unless_a_backend_or_server_is_named(monkeypatch, settings):
    # Set first, so that monkeypatch records the variables as they were and puts them
    # back (or removes them) afterwards: demo_mail_to_sink sets EMAIL_BACKEND itself,
    # and a later test of this process (`run --demo` in tests/test_commands.py) must
    # not inherit it.
    for name in ("EMAIL_BACKEND", "EMAIL_HOST"):
        monkeypatch.setenv(name, "")
        monkeypatch.delenv(name)
    assert demo_mail_to_sink()
    assert settings.EMAIL_BACKEND == SINK_BACKEND
    assert os.environ["EMAIL_BACKEND"] == SINK_BACKEND
    monkeypatch.delenv("EMAIL_BACKEND")
    monkeypatch.setenv("EMAIL_HOST", "mail.example.com")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert not demo_mail_to_sink()
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
