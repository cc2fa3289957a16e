"""Decrypted text never leaves the dialog (S35): not in mail, auto-responses, the
portal, the search index, logs, caches, drafts, sessions or error pages."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client
from django.views.debug import ExceptionReporter

from mail.ingest import ingest
from mail.models import OutgoingMail
from panel.models import Draft
from search.documents import build
from tests.conftest import World
from tests.crypto.conftest import DESK_KEY, encrypt_to
from tests.crypto.test_reveal import SECRET, reveal_form
from tests.fixtures_mail import make_mail
from tests.panel.helpers import htmx, whole_form
from tickets import actions, queries
from tickets.criteria import Criteria
from tickets.models import Ticket


@pytest.fixture
def revealed(world: World, desk_key, caplog, monkeypatch) -> tuple[Ticket, Client, list[Any]]:
    """A ticket whose encrypted block a supervisor was just shown, every cache write
    and log line of that request recorded."""
    armored = encrypt_to(DESK_KEY, SECRET)
    ticket = world.ticket(world.billing, text=f"My password:\n{armored}")
    client = Client()
    client.force_login(world.supervisor)
    action, form = reveal_form(client, ticket)
    written: list[Any] = []
    cache = caches["default"]
    for name in ("set", "add", "set_many", "get_or_set"):
        original = getattr(cache, name)

        def recording(*args: Any, _original: Any = original, **kwargs: Any) -> Any:
            written.append((args, kwargs))
            return _original(*args, **kwargs)

        monkeypatch.setattr(cache, name, recording)
    with caplog.at_level(logging.DEBUG):
        response = client.post(action, form, headers=htmx())
    assert SECRET in response.content.decode()  # it was shown: the rest must not have it
    return ticket, client, written


def test_not_in_logs(revealed, caplog):
    assert SECRET not in caplog.text


def test_not_in_caches_or_sessions(revealed):
    _ticket, _client, written = revealed
    assert SECRET not in repr(written)
    for session in Session.objects.all():
        assert SECRET not in str(session.get_decoded())


def test_not_in_drafts_even_after_an_autosave(revealed, world: World):
    ticket, client, _written = revealed
    form = whole_form(client, ticket, answer="I got it, thanks.")
    client.post(
        f"/panel/tickets/{ticket.number}/draft/",
        {key: form[key] for key in ("answer", "note", "cc", "csrfmiddlewaretoken") if key in form},
        headers=htmx(),
    )
    for draft in Draft.objects.all():
        assert SECRET not in draft.answer + draft.note + draft.cc


def test_not_in_the_answer_mail_which_quotes_the_message_without_the_block(revealed, world: World):
    ticket, _client, _written = revealed
    actions.answer(actor=world.supervisor, ticket=ticket, text="Thanks, it works now.")
    mails = list(OutgoingMail.objects.filter(ticket=ticket))
    assert mails
    for mail in mails:
        assert SECRET not in mail.text + mail.html
        assert "BEGIN PGP MESSAGE" not in mail.text + mail.html
    assert any("[encrypted information" in mail.text for mail in mails)


def test_not_in_the_portal(revealed, world: World):
    ticket, _client, _written = revealed
    customer = Client()
    customer.force_login(world.customer_a)
    page = customer.get(f"/portal/tickets/{ticket.number}/")
    assert page.status_code == 200
    assert SECRET not in page.content.decode()


def test_not_in_the_search_index_and_the_armor_is_no_words(revealed, world: World):
    ticket, _client, _written = revealed
    (document,) = build([ticket.number])
    indexed = " ".join([document.title, document.people, document.body, document.notes])
    assert "hunter2" not in indexed.lower()
    armor_lines = [line for line in ticket.messages.get().text.splitlines() if len(line) > 40]
    assert armor_lines
    assert not any(line.lower()[:20] in indexed for line in armor_lines)
    assert "password" in document.body  # the text around the block is indexed
    assert not queries.find_tickets(world.admin, Criteria(text="hunter2")).exists()


def test_not_on_an_error_page_nor_in_the_error_report(revealed, world: World, monkeypatch):
    """A failure after decrypting: the 500 page, and the report Django mails to the
    administrators (every frame's local variables), hold none of the text."""
    ticket, _client, _written = revealed

    def broken(**kwargs: object) -> None:
        raise RuntimeError("the history could not be written")

    monkeypatch.setattr(actions, "record_decryption", broken)
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep(level=logging.ERROR)
    logging.getLogger("django.request").addHandler(handler)
    try:
        client = Client(raise_request_exception=False)
        client.force_login(world.supervisor)
        action, form = reveal_form(client, ticket)
        response = client.post(action, form)
    finally:
        logging.getLogger("django.request").removeHandler(handler)
    assert response.status_code == 500
    assert SECRET not in response.content.decode()
    (record,) = records
    assert record.exc_info is not None
    exc_type, exc_value, trace = record.exc_info
    request = record.__dict__["request"]  # what django.request logs with the error
    report = ExceptionReporter(request, exc_type, exc_value, trace, is_email=True)
    assert "the history could not be written" in report.get_traceback_text()
    assert SECRET not in report.get_traceback_text()
    assert SECRET not in report.get_traceback_html()


def test_not_in_auto_responses_of_a_mailed_in_ticket(world: World, desk_key):
    from tickets.models import HelpdeskSettings, QueueAddress

    desk = HelpdeskSettings.load()
    desk.support_address = "support@frontdesk.example"
    desk.save()
    QueueAddress.objects.create(queue=world.support, email="support@frontdesk.example")
    world.support.new_ticket_response = "We have your message and answer soon."
    world.support.closed_ticket_response = "Your ticket is closed."
    world.support.save()
    armored = encrypt_to(DESK_KEY, SECRET)
    result = ingest(make_mail(body=f"Here it is:\n{armored}\n"), "test")
    assert result.inbound is not None and result.inbound.ticket is not None
    ticket = result.inbound.ticket
    mails = list(OutgoingMail.objects.filter(ticket=ticket))
    assert mails, "the confirmation was sent"
    for mail in mails:
        assert SECRET not in mail.text + mail.html
        assert armored.splitlines()[2] not in mail.text + mail.html
    assert SECRET not in ticket.messages.get().text
    actions.close(actor=world.admin, ticket=ticket)
    for mail in OutgoingMail.objects.filter(ticket=ticket):
        assert SECRET not in mail.text + mail.html
        assert armored.splitlines()[2] not in mail.text + mail.html
    assert OutgoingMail.objects.filter(ticket=ticket).count() == len(mails) + 1


def test_not_in_the_api(revealed, world: World):
    from tests.api.conftest import personal

    ticket, _client, _written = revealed
    api = personal(Client(), world.supervisor)
    thread = api.get(f"/tickets/{ticket.number}/messages")
    assert thread.status_code == 200
    assert SECRET not in thread.content.decode()
    assert "BEGIN PGP MESSAGE" in thread.content.decode()  # the block as it came, encrypted
    detail = api.get(f"/tickets/{ticket.number}")
    assert SECRET not in detail.content.decode()
